"""conversations

Revision ID: c1a5e0000001
Revises: a7d63dd822c7
Create Date: 2026-11-23 12:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c1a5e0000001"
down_revision: str | Sequence[str] | None = "a7d63dd822c7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("shop_id", sa.String(length=64), nullable=False),
        sa.Column("shop_name", sa.String(length=200), nullable=False),
        sa.Column("shopper_user_id", sa.String(length=64), nullable=False),
        sa.Column("shopper_name", sa.String(length=200), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=True),
        sa.Column("shop_order_id", sa.String(length=36), nullable=True),
        sa.Column("listing_id", sa.String(length=64), nullable=True),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shopper_unread", sa.Integer(), nullable=False),
        sa.Column("shop_unread", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_order_id"],
            ["shop_orders.id"],
            name=op.f("fk_conversations_shop_order_id_shop_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        sa.UniqueConstraint("shop_order_id", name="uq_conversations_shop_order_id"),
        sa.UniqueConstraint(
            "listing_id", "shopper_user_id", name="uq_conversations_listing_id_shopper"
        ),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversations_shop_id"), ["shop_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_conversations_shopper_user_id"), ["shopper_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_conversations_last_message_at"), ["last_message_at"], unique=False
        )
    op.create_table(
        "conversation_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("author_side", sa.String(length=10), nullable=False),
        sa.Column("author_user_id", sa.String(length=64), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_messages_conversation_id_conversations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_messages")),
    )
    with op.batch_alter_table("conversation_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_messages_conversation_id"),
            ["conversation_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("conversation_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_messages_conversation_id"))
    op.drop_table("conversation_messages")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversations_last_message_at"))
        batch_op.drop_index(batch_op.f("ix_conversations_shopper_user_id"))
        batch_op.drop_index(batch_op.f("ix_conversations_shop_id"))
    op.drop_table("conversations")
