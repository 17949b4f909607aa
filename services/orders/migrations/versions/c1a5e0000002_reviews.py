"""reviews

Revision ID: c1a5e0000002
Revises: c1a5e0000001
Create Date: 2026-11-23 12:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c1a5e0000002"
down_revision: str | Sequence[str] | None = "c1a5e0000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("shop_order_id", sa.String(length=36), nullable=False),
        sa.Column("shop_id", sa.String(length=64), nullable=False),
        sa.Column("buyer_user_id", sa.String(length=64), nullable=False),
        sa.Column("reviewer_name", sa.String(length=200), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["shop_order_id"],
            ["shop_orders.id"],
            name=op.f("fk_reviews_shop_order_id_shop_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("shop_order_id", name="uq_reviews_shop_order_id"),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviews_shop_id"), ["shop_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reviews_buyer_user_id"), ["buyer_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_reviews_posted_at"), ["posted_at"], unique=False)
    op.create_table(
        "shop_review_tallies",
        sa.Column("shop_id", sa.String(length=64), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", name=op.f("pk_shop_review_tallies")),
    )


def downgrade() -> None:
    op.drop_table("shop_review_tallies")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_posted_at"))
        batch_op.drop_index(batch_op.f("ix_reviews_buyer_user_id"))
        batch_op.drop_index(batch_op.f("ix_reviews_shop_id"))
    op.drop_table("reviews")
