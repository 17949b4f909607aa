"""shop logo and banner

Revision ID: f07000000002
Revises: f07000000001
Create Date: 2026-12-06 15:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "f07000000002"
down_revision: str | Sequence[str] | None = "f07000000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shop") as batch:
        batch.add_column(sa.Column("logo", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("banner", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shop") as batch:
        batch.drop_column("banner")
        batch.drop_column("logo")
