"""Notices: a shop's members announced with a revision, an order's answer reminder.

Revision ID: 5b0b50000003
Revises: 0b5a00000001
Create Date: 2026-12-06 14:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5b0b50000003"
down_revision: str | Sequence[str] | None = "0b5a00000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # 0 means never announced: the shops worker announces those shops' members on start.
    with op.batch_alter_table("shop", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("members_revision", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
    with op.batch_alter_table("shop", schema=None) as batch_op:
        batch_op.drop_column("members_revision")
