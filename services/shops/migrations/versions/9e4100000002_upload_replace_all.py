"""Purge and replace: an upload may be the shop's whole inventory, confirmed after a preview.

Revision ID: 9e4100000002
Revises: 9e4100000001
Create Date: 2026-12-06 14:45:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "9e4100000002"
down_revision: str | Sequence[str] | None = "9e4100000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("upload_job", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("replace_all", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("to_withdraw", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("rows_withdrawn", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("upload_job", schema=None) as batch_op:
        for column in ("rows_withdrawn", "confirmed_at", "to_withdraw", "replace_all"):
            batch_op.drop_column(column)
