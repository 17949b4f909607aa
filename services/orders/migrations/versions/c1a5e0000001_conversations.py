"""conversations

Revision ID: c1a5e0000001
Revises: a7d63dd822c7
Create Date: 2026-11-23 12:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c1a5e0000001"
down_revision: str | Sequence[str] | None = "a7d63dd822c7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
