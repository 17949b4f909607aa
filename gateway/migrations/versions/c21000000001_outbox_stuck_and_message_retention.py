"""Outbox events set aside after repeated refusals (sent rows, deleted by the retention
job, are found through ix_outbox_sent_at).

Revision ID: c21000000001
Revises: 9e4200000001
Create Date: 2026-12-06 17:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c21000000001"
down_revision: str | Sequence[str] | None = "9e4200000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stuck_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("stuck_at")
