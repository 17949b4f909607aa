"""shop memberships: who belongs to each shop, followed from shop.members_changed

Revision ID: 5ec100000001
Revises: 5a9a00000001
Create Date: 2026-12-06 14:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5ec100000001"
down_revision: str | Sequence[str] | None = "5a9a00000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shop_memberships",
        sa.Column("shop_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("user_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", name=op.f("pk_shop_memberships")),
    )


def downgrade() -> None:
    op.drop_table("shop_memberships")
