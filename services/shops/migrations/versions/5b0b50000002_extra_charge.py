"""Extra charge: a shop may ask the buyer to pay more before accepting a pending order.

Revision ID: 5b0b50000002
Revises: 5b0b50000001
Create Date: 2026-11-23 15:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5b0b50000002"
down_revision: str | Sequence[str] | None = "5b0b50000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extra_charge_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("extra_charge_amount", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("extra_charge_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("extra_charge_status", sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column("extra_charge_proposed_by", sa.String(length=200), nullable=True)
        )
        batch_op.add_column(
            sa.Column("extra_charge_proposed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("extra_charge_answered_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("extra_charged_amount", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        for column in (
            "extra_charged_amount",
            "extra_charge_answered_at",
            "extra_charge_proposed_at",
            "extra_charge_proposed_by",
            "extra_charge_status",
            "extra_charge_reason",
            "extra_charge_amount",
            "extra_charge_id",
        ):
            batch_op.drop_column(column)
