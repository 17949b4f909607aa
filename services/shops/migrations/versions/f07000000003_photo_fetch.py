"""photo fetch: photos an inventory file names by address, for the worker to fetch

Revision ID: f07000000003
Revises: f07000000002
Create Date: 2026-12-06 15:20:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "f07000000003"
down_revision: str | Sequence[str] | None = "f07000000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "photo_fetch",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("listing_id", sa.String(length=36), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_fetch")),
    )
    op.create_index(op.f("ix_photo_fetch_job_id"), "photo_fetch", ["job_id"])
    op.create_index(op.f("ix_photo_fetch_status"), "photo_fetch", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_photo_fetch_status"), table_name="photo_fetch")
    op.drop_index(op.f("ix_photo_fetch_job_id"), table_name="photo_fetch")
    op.drop_table("photo_fetch")
