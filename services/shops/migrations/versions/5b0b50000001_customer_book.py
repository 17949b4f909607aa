"""Customer book: the shop's private notes and tags per buyer.

Revision ID: 5b0b50000001
Revises: 512f73aa94f8
Create Date: 2026-11-23 12:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5b0b50000001"
down_revision: str | Sequence[str] | None = "512f73aa94f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shop_customer",
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("tags", sa.JSON(), server_default="[]", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shop.id"], name=op.f("fk_shop_customer_shop_id_shop")
        ),
        sa.PrimaryKeyConstraint("shop_id", "user_id", name=op.f("pk_shop_customer")),
    )
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shop_order_shop_id_buyer_user_id", ["shop_id", "buyer_user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.drop_index("ix_shop_order_shop_id_buyer_user_id")
    op.drop_table("shop_customer")
