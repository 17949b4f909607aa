"""shop revision, about, currency and shipping rates

Revision ID: 447564d4d94c
Revises: f075294b223a
Create Date: 2026-11-23 10:24:04.632513

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "447564d4d94c"
down_revision: str | Sequence[str] | None = "f075294b223a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    # Server defaults fill the shops already known; their next shop.updated sets the rest.
    with op.batch_alter_table("indexed_shops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("about", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("shipping", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("indexed_shops", schema=None) as batch_op:
        batch_op.drop_column("shipping")
        batch_op.drop_column("currency")
        batch_op.drop_column("about")
        batch_op.drop_column("revision")
