"""shop reputation

Revision ID: ca7a10000002
Revises: ca7a10000001
Create Date: 2026-11-23 12:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "ca7a10000002"
down_revision: str | Sequence[str] | None = "ca7a10000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Shops known before reviews existed have none yet; review.posted fills them in.
    with op.batch_alter_table("indexed_shops", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rating_average", sa.Float(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("rating_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("rating_positive_share", sa.Float(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("reputation_revision", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("indexed_shops", schema=None) as batch_op:
        batch_op.drop_column("reputation_revision")
        batch_op.drop_column("rating_positive_share")
        batch_op.drop_column("rating_count")
        batch_op.drop_column("rating_average")
