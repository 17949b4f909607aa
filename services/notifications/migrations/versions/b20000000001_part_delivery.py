"""part delivery: the service and estimate the buyer chose, for the shipped mail

Revision ID: b20000000001
Revises: c21000000001
Create Date: 2026-12-06 17:50:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "b20000000001"
down_revision: str | Sequence[str] | None = "c21000000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("order_parts") as batch:
        batch.add_column(sa.Column("delivery", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order_parts") as batch:
        batch.drop_column("delivery")
