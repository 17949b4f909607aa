"""delivery address: each shop order's own copy of the buyer's address, and its erasure

Revision ID: add100000001
Revises: 5b0b50000002
Create Date: 2026-12-06 14:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "add100000001"
down_revision: str | Sequence[str] | None = "5b0b50000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shop_order") as batch:
        batch.add_column(sa.Column("delivery_address", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("address_erased_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shop_order") as batch:
        batch.drop_column("address_erased_at")
        batch.drop_column("delivery_address")
