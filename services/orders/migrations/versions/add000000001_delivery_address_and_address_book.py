"""delivery address: the order's structured address, its erasure, and the address book

Revision ID: add000000001
Revises: c1a5e0000003
Create Date: 2026-12-06 14:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "add000000001"
down_revision: str | Sequence[str] | None = "c1a5e0000003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("delivery_address", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("address_erased_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "saved_addresses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("address", sa.JSON(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_addresses")),
    )
    op.create_index(
        op.f("ix_saved_addresses_user_id"), "saved_addresses", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_saved_addresses_user_id"), table_name="saved_addresses")
    op.drop_table("saved_addresses")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("address_erased_at")
        batch.drop_column("delivery_address")
