"""follows and favourite shops

Revision ID: 9a7e00000001
Revises: 79341699a441
Create Date: 2026-11-23 12:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "9a7e00000001"
down_revision: str | Sequence[str] | None = "79341699a441"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("follower_id", sa.String(length=36), nullable=False),
        sa.Column("followee_email", sa.String(length=320), nullable=False),
        sa.Column("followee_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("shown_to_follower", sa.Boolean(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["followee_id"], ["users.id"], name=op.f("fk_follows_followee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["follower_id"], ["users.id"], name=op.f("fk_follows_follower_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint("follower_id", "followee_email", name="uq_follows_follower_email"),
    )
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follows_followee_id"), ["followee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follows_follower_id"), ["follower_id"], unique=False)

    op.create_table(
        "follow_preferences",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("accepts_requests", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_follow_preferences_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_follow_preferences")),
    )

    op.create_table(
        "favourite_shops",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("shop_id", sa.String(length=64), nullable=False),
        sa.Column("shop_name", sa.String(length=200), nullable=False),
        sa.Column("shop_slug", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_favourite_shops_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_favourite_shops")),
        sa.UniqueConstraint("user_id", "shop_id", name="uq_favourite_shops_user_shop"),
    )
    with op.batch_alter_table("favourite_shops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_favourite_shops_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("favourite_shops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_favourite_shops_user_id"))
    op.drop_table("favourite_shops")
    op.drop_table("follow_preferences")
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follows_follower_id"))
        batch_op.drop_index(batch_op.f("ix_follows_followee_id"))
    op.drop_table("follows")
