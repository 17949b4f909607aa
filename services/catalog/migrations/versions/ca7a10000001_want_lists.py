"""want lists

Revision ID: ca7a10000001
Revises: 447564d4d94c
Create Date: 2026-11-23 12:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "ca7a10000001"
down_revision: str | Sequence[str] | None = "447564d4d94c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "wants",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("isbn", sa.String(length=13), nullable=True),
        sa.Column("words", sa.String(length=200), nullable=True),
        sa.Column("condition_at_least", sa.String(length=20), nullable=True),
        sa.Column("binding", sa.String(length=60), nullable=True),
        sa.Column("first_edition", sa.Boolean(), nullable=False),
        sa.Column("ships_to", sa.String(length=2), nullable=True),
        sa.Column("max_price_amount", sa.Integer(), nullable=True),
        sa.Column("max_price_currency", sa.String(length=3), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wants")),
    )
    with op.batch_alter_table("wants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wants_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_wants_isbn"), ["isbn"], unique=False)

    op.create_table(
        "want_terms",
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("want_id", sa.String(length=36), nullable=False),
        sa.Column("terms_in_want", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["want_id"],
            ["wants.id"],
            name=op.f("fk_want_terms_want_id_wants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("term", "want_id", name=op.f("pk_want_terms")),
    )
    with op.batch_alter_table("want_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_want_terms_want_id"), ["want_id"], unique=False)

    op.create_table(
        "want_matches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("want_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("listing_id", sa.String(length=64), nullable=False),
        sa.Column("shop_id", sa.String(length=64), nullable=False),
        sa.Column("shop_name", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("price_amount", sa.Integer(), nullable=False),
        sa.Column("price_currency", sa.String(length=3), nullable=False),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["want_id"],
            ["wants.id"],
            name=op.f("fk_want_matches_want_id_wants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_want_matches")),
        sa.UniqueConstraint("want_id", "listing_id", name=op.f("uq_want_matches_want_id")),
    )
    with op.batch_alter_table("want_matches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_want_matches_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("want_matches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_want_matches_user_id"))
    op.drop_table("want_matches")
    with op.batch_alter_table("want_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_want_terms_want_id"))
    op.drop_table("want_terms")
    with op.batch_alter_table("wants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wants_isbn"))
        batch_op.drop_index(batch_op.f("ix_wants_user_id"))
    op.drop_table("wants")
