"""Outbox events set aside after repeated refusals, and the inbox's index for the
retention job (sent outbox rows are found through ix_outbox_sent_at).

Revision ID: c21000000001
Revises: 0a71f1ca0002
Create Date: 2026-12-06 17:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c21000000001"
down_revision: str | Sequence[str] | None = "0a71f1ca0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stuck_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_inbox_processed_at"), "inbox", ["processed_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_inbox_processed_at"), table_name="inbox")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("stuck_at")
