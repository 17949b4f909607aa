"""shop location: the shop's town and coordinates, for shops near the shopper

Revision ID: b20000000001
Revises: a18000000001
Create Date: 2026-12-06 17:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "b20000000001"
down_revision: str | Sequence[str] | None = "a18000000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indexed_shops") as batch:
        batch.add_column(sa.Column("location", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indexed_shops") as batch:
        batch.drop_column("location")
