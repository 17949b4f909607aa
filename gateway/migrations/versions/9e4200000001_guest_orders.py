"""guest orders: the address a guest gave at checkout, by order

Revision ID: 9e4200000001
Revises: 5ec000000001
Create Date: 2026-12-06 15:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "9e4200000001"
down_revision: str | Sequence[str] | None = "5ec000000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "guest_orders",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("guest_id", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_guest_orders")),
    )


def downgrade() -> None:
    op.drop_table("guest_orders")
