"""The buyer's payment as the orders side confirms it, and the saga's conflicts.

Revision ID: 5a9b00000001
Revises: 5b0b50000003
Create Date: 2026-12-06 14:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5a9b00000001"
down_revision: str | Sequence[str] | None = "5b0b50000003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payment_status", sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column("payment_confirmed_at", sa.DateTime(timezone=True), nullable=True)
        )
    # Orders accepted before this change were captured by the orders side at once and told
    # us only of a failure (as a cancellation): what is still accepted or shipped was paid.
    op.execute(
        "UPDATE shop_order SET payment_status = 'captured' WHERE status IN ('accepted', 'shipped')"
    )
    op.create_table(
        "saga_conflicts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=True),
        sa.Column("shop_order_id", sa.String(length=36), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saga_conflicts")),
    )
    with op.batch_alter_table("saga_conflicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saga_conflicts_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_saga_conflicts_shop_order_id"), ["shop_order_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("saga_conflicts")
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.drop_column("payment_confirmed_at")
        batch_op.drop_column("payment_status")
