"""The buyer's cancellation request on a part, checkout authorizations keyed by the
checkout key (payment_holds), and the saga's conflicts.

Revision ID: 5a9a00000001
Revises: 0b5d00000001
Create Date: 2026-12-06 14:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5a9a00000001"
down_revision: str | Sequence[str] | None = "0b5d00000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shop_orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cancellation_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("cancel_reason", sa.Text(), nullable=True))
    op.create_table(
        "payment_holds",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("buyer_user_id", sa.String(length=64), nullable=False),
        sa.Column("checkout_key", sa.String(length=100), nullable=False),
        sa.Column("authorization_id", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_payment_holds")),
    )
    with op.batch_alter_table("payment_holds", schema=None) as batch_op:
        batch_op.create_index(
            "ix_payment_holds_buyer_key", ["buyer_user_id", "checkout_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_payment_holds_created_at"), ["created_at"], unique=False
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
    op.drop_table("payment_holds")
    with op.batch_alter_table("shop_orders", schema=None) as batch_op:
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancellation_requested_at")
