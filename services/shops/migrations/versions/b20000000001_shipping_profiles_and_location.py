"""shipping profiles and the shop's town: the two-zone rates become a profile that prices
every parcel the same; order parts keep the buyer's service, or collection in person

Revision ID: b20000000001
Revises: a18000000001
Create Date: 2026-12-06 17:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.common import shipping

# revision identifiers, used by Alembic.
revision: str = "b20000000001"
down_revision: str | Sequence[str] | None = "a18000000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shop") as batch:
        batch.add_column(sa.Column("shipping_profile", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("town", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("postal_code", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Float(), nullable=True))
    with op.batch_alter_table("shop_order") as batch:
        batch.add_column(sa.Column("delivery_service", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("delivery_service_name", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("delivery_days_min", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("delivery_days_max", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("collection", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("ready_to_collect_at", sa.DateTime(timezone=True), nullable=True)
        )
    migrate_rates(op.get_bind())


def migrate_rates(connection: sa.Connection) -> None:
    """Every shop's two-zone rates as the profile that prices the same parcels the same
    (services.common.shipping.from_legacy: home and the rest of the world, one standard
    service each, free from the same amount)."""
    shops = connection.execute(
        sa.text(
            "SELECT id, currency, ship_domestic_first, ship_domestic_additional, "
            "ship_international_first, ship_international_additional, ship_free_over "
            "FROM shop WHERE shipping_profile IS NULL"
        )
    ).all()
    for row in shops:
        profile = shipping.from_legacy(
            currency=row.currency or "EUR",
            domestic_first=row.ship_domestic_first or 0,
            domestic_additional=row.ship_domestic_additional or 0,
            international_first=row.ship_international_first or 0,
            international_additional=row.ship_international_additional or 0,
            free_over=row.ship_free_over,
        )
        connection.execute(
            sa.update(_shop).where(_shop.c.id == row.id),
            {"shipping_profile": shipping.profile_as_dict(profile)},
        )


# The table as this revision knows it: the JSON column's type writes the profile right on
# SQLite and PostgreSQL alike.
_shop = sa.table("shop", sa.column("id", sa.String()), sa.column("shipping_profile", sa.JSON()))


def downgrade() -> None:
    with op.batch_alter_table("shop_order") as batch:
        for column in (
            "ready_to_collect_at",
            "collection",
            "delivery_days_max",
            "delivery_days_min",
            "delivery_service_name",
            "delivery_service",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("shop") as batch:
        for column in ("longitude", "latitude", "postal_code", "town", "shipping_profile"):
            batch.drop_column(column)
