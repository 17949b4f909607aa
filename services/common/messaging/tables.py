"""Outbox and inbox tables, added to each service's own metadata.

The outbox holds events written in the same transaction as the state change they describe;
the relay publishes them later. The inbox remembers which message ids a consumer has
already applied, in the same transaction as the effect, so a redelivery changes nothing.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, Text, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from services.common.contracts import Event, encode, wrap


def utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxMixin:
    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    routing_key: Mapped[str] = mapped_column(String(200))
    event_type: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class InboxMixin:
    __tablename__ = "inbox"

    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100))
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def add_to_outbox(session: Session, outbox_model: type[OutboxMixin], event: Event) -> str:
    """Stage `event` for publishing when (and only if) the caller's transaction commits."""
    row = outbox_row(event)
    # A Core insert, sent now within the caller's transaction: the row is never read back
    # or changed through the session, so the unit of work would only add cost.
    session.execute(insert(outbox_model.__table__), [row])
    return str(row["id"])


def outbox_row(event: Event) -> dict[str, object]:
    """`event`'s outbox row as a dict, for a Core insert of several events at once:
    `session.execute(insert(Outbox.__table__), [outbox_row(e) for e in events])`."""
    envelope = wrap(event)
    return {
        "id": str(envelope.id),
        # A time-ordered sequence keeps publishing in the order events were written.
        "seq": _next_seq(),
        "routing_key": event.routing_key(),
        "event_type": event.event_type,
        "body": encode(envelope).decode(),
        "created_at": envelope.occurred_at,
        "attempts": 0,
    }


_seq_lock = threading.Lock()
_last_seq = 0


def _next_seq() -> int:
    """Microseconds since the epoch, but never the same twice in a process: the relay
    publishes in `seq` order, and two events of one transaction may be written within
    the same microsecond."""
    global _last_seq
    with _seq_lock:
        _last_seq = max(time.time_ns() // 1000, _last_seq + 1)
        return _last_seq
