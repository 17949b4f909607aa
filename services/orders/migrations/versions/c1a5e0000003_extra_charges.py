"""extra charges: a shop's proposal to charge more for its part, and the buyer's answer

Revision ID: c1a5e0000003
Revises: c1a5e0000002
Create Date: 2026-11-23 15:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c1a5e0000003"
down_revision: str | Sequence[str] | None = "c1a5e0000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "extra_charges",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("shop_order_id", sa.String(length=36), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer_by", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["shop_order_id"],
            ["shop_orders.id"],
            name=op.f("fk_extra_charges_shop_order_id_shop_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extra_charges")),
    )
    with op.batch_alter_table("extra_charges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_extra_charges_shop_order_id"), ["shop_order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_extra_charges_answer_by"), ["answer_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_extra_charges_status"), ["status"], unique=False)
    with op.batch_alter_table("shop_orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("extra_amount", sa.BigInteger(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("shop_orders", schema=None) as batch_op:
        batch_op.drop_column("extra_amount")
    with op.batch_alter_table("extra_charges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_extra_charges_status"))
        batch_op.drop_index(batch_op.f("ix_extra_charges_answer_by"))
        batch_op.drop_index(batch_op.f("ix_extra_charges_shop_order_id"))
    op.drop_table("extra_charges")
