"""A shop may ship for free from an amount: items worth at least `ship_free_over`.

Revision ID: 9e4100000003
Revises: 9e4100000002
Create Date: 2026-12-06 15:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "9e4100000003"
down_revision: str | Sequence[str] | None = "9e4100000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ship_free_over", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shop", schema=None) as batch_op:
        batch_op.drop_column("ship_free_over")
