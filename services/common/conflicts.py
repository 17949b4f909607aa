"""Contradictions between the order saga's two sides, kept where an operator sees them.

Each side owns some of a part's transitions and follows the other's events. A fact that
still contradicts what a side knows (a payment failure for a parcel already shipped, an
answer for a part in a final status) cannot be fixed by retrying, so the message is applied
without its effect; but it is not dropped: a row in the service's own `saga_conflicts`
table says what arrived, for which part, in which state, and a Prometheus counter counts
it. `python -m services.common.manage <service> conflicts list` lists them.
"""

from __future__ import annotations

import logging
from datetime import datetime

from prometheus_client import Counter
from sqlalchemy import Integer, String, Text, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from services.common.clock import utcnow
from services.common.db import UtcDateTime

log = logging.getLogger(__name__)

CONFLICTS = Counter(
    "saga_conflicts_total",
    "Events that contradicted a part's state, recorded for an operator",
    ["service", "event_type"],
)


class ConflictMixin:
    __tablename__ = "saga_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_type: Mapped[str] = mapped_column(String(100))
    message_id: Mapped[str | None] = mapped_column(String(36))
    shop_order_id: Mapped[str] = mapped_column(String(36), index=True)
    # The part's status on this side when the event arrived.
    state: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


def record_conflict(
    session: Session,
    model: type[ConflictMixin],
    *,
    service: str,
    event_type: str,
    message_id: str | None,
    shop_order_id: str,
    state: str,
    detail: str,
) -> None:
    """Keep a contradiction in the caller's transaction (with the message's inbox row)."""
    session.execute(
        insert(model.__table__),  # type: ignore[attr-defined]
        [
            {
                "event_type": event_type,
                "message_id": message_id,
                "shop_order_id": shop_order_id,
                "state": state,
                "detail": detail[:2000],
                "at": utcnow(),
            }
        ],
    )
    CONFLICTS.labels(service, event_type).inc()
    log.error(
        "an event contradicts the part's state; recorded for an operator",
        extra={
            "event_type": event_type,
            "message_id": message_id,
            "shop_order_id": shop_order_id,
            "status": state,
            "reason": detail,
        },
    )


def list_conflicts(
    session_factory: sessionmaker, model: type[ConflictMixin], *, limit: int = 100
) -> list[ConflictMixin]:
    """The newest conflicts first."""
    with session_factory() as session:
        query = select(model).order_by(model.at.desc(), model.id.desc()).limit(limit)
        rows = list(session.scalars(query))
        session.expunge_all()
        return rows


def format_conflict(row: ConflictMixin) -> str:
    return (
        f"{row.at:%Y-%m-%d %H:%M:%S}  {row.event_type:<32} part {row.shop_order_id}  "
        f"state {row.state}  message {row.message_id or '-'}\n    {row.detail}"
    )
