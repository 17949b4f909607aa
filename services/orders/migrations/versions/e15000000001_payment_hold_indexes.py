"""payment holds: found by authorization, and open ones by age, without reading them all

Revision ID: e15000000001
Revises: c21000000001
Create Date: 2026-12-06 17:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "e15000000001"
down_revision: str | Sequence[str] | None = "c21000000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "order_id IS NULL AND voided_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("payment_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_holds_created_at"))
        batch_op.create_index(
            "ix_payment_holds_authorization_id", ["authorization_id"], unique=False
        )
        batch_op.create_index(
            "ix_payment_holds_open",
            ["created_at"],
            unique=False,
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )


def downgrade() -> None:
    with op.batch_alter_table("payment_holds", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_holds_open")
        batch_op.drop_index("ix_payment_holds_authorization_id")
        batch_op.create_index(
            batch_op.f("ix_payment_holds_created_at"), ["created_at"], unique=False
        )
