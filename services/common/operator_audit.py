"""The append-only record of what the platform's operators did, one table per service.

Each service writes the row in the transaction of the action it records, so an action and
its record commit together or not at all. Nothing in the code updates or deletes a row, no
route offers to, and a trigger (PostgreSQL and SQLite) refuses UPDATE and DELETE on the table
(`forbid_changes_sql`), so not even a mistaken script of ours can rewrite the record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Integer, String, Text, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from services.common.auth import Operator
from services.common.clock import utcnow
from services.common.db import UtcDateTime


class OperatorActionMixin:
    __tablename__ = "operator_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    operator_id: Mapped[str] = mapped_column(String(64))
    operator_name: Mapped[str] = mapped_column(String(200))
    # e.g. dispute.refund, dispute.close, review.hide, review.keep, shop.suspend
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


def record_action(
    session: Session,
    model: type[OperatorActionMixin],
    operator: Operator,
    *,
    action: str,
    subject: str,
    reason: str,
    at: datetime,
) -> None:
    session.execute(
        insert(model.__table__),  # type: ignore[attr-defined]
        [
            {
                "operator_id": operator.user_id,
                "operator_name": operator.name[:200],
                "action": action,
                "subject": subject,
                "reason": reason,
                "at": at,
            }
        ],
    )


class OperatorActionOut(BaseModel):
    """One row of `actions_json`, for the services' OpenAPI documents."""

    service: str
    id: int
    operator_id: str
    operator_name: str
    action: str
    subject: str
    reason: str
    at: str


def actions_json(
    session: Session, model: type[OperatorActionMixin], *, service: str, limit: int = 200
) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(model).order_by(model.at.desc(), model.id.desc()).limit(limit)  # type: ignore[attr-defined]
    )
    return [
        {
            "service": service,
            "id": row.id,
            "operator_id": row.operator_id,
            "operator_name": row.operator_name,
            "action": row.action,
            "subject": row.subject,
            "reason": row.reason,
            "at": row.at.isoformat() if row.at.tzinfo else row.at.isoformat() + "+00:00",
        }
        for row in rows
    ]


def forbid_changes_sql(dialect: str, table: str = "operator_actions") -> list[str]:
    """Statements that make the table append-only, for a migration on `dialect`."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'the operators'' audit log is append-only'); END"
            for verb in ("update", "delete")
        ]
    return [
        f"""
        CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'the operators'' audit log is append-only';
        END;
        $$ LANGUAGE plpgsql
        """,
        f"""
        CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_append_only()
        """,
    ]
