"""delivery choice: the service (or collection) a buyer chose per shop, and its estimate

Revision ID: b20000000001
Revises: a18000000001
Create Date: 2026-12-06 17:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "b20000000001"
down_revision: str | Sequence[str] | None = "a18000000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shop_orders") as batch:
        batch.add_column(sa.Column("delivery_service", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("delivery_service_name", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("delivery_days_min", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("delivery_days_max", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("collection", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("carts") as batch:
        batch.add_column(sa.Column("delivery_choices", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("carts") as batch:
        batch.drop_column("delivery_choices")
    with op.batch_alter_table("shop_orders") as batch:
        for column in (
            "collection",
            "delivery_days_max",
            "delivery_days_min",
            "delivery_service_name",
            "delivery_service",
        ):
            batch.drop_column(column)
