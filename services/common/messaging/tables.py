"""Outbox, inbox and parking tables, added to each service's own metadata.

The outbox holds events written in the same transaction as the state change they describe;
the relay publishes them later. The inbox remembers which message ids a consumer has
already applied, in the same transaction as the effect, so a redelivery changes nothing.
The failure count and the parked messages let a consumer set aside a message whose own
handler keeps failing (see consumer.py), instead of leaving it to the broker's delivery
limit, which also counts deliveries to a consumer that died.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from services.common import correlation
from services.common.clock import utcnow
from services.common.contracts import Event, encode, wrap
from services.common.db import UtcDateTime


class OutboxMixin:
    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    routing_key: Mapped[str] = mapped_column(String(200))
    event_type: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The request (or message) that caused the event; sent as the message's correlation id.
    correlation_id: Mapped[str | None] = mapped_column(String(64))
    # Set when the broker refused the event OUTBOX_MAX_ATTEMPTS times: the relay passes it
    # by from then on, so it never holds back the events behind it, until an operator sends
    # it again (`manage <service> outbox stuck retry`).
    stuck_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class InboxMixin:
    __tablename__ = "inbox"

    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100))
    # Indexed for the retention job, which deletes rows older than MESSAGE_RETENTION_DAYS.
    processed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class MessageFailureMixin:
    """How often a consumer's handler has failed on one message (not how often the broker
    delivered it): a delivery to a worker that died before acknowledging is not counted."""

    __tablename__ = "message_failure"

    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_failed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ParkedMessageMixin:
    """A message set aside for an operator: parked by the consumer after its handler
    failed too often, or taken from the broker's dead-letter queue (malformed, or past the
    broker's delivery limit). `python -m services.common.manage <service> dead-letters`
    lists, shows and replays them."""

    __tablename__ = "parked_message"

    # The message id; a body that is not even an envelope gets a digest of its bytes.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    consumer: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(20))  # PARKED or DEAD_LETTERED
    event_type: Mapped[str | None] = mapped_column(String(100))
    routing_key: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[str] = mapped_column(Text, default="{}")  # JSON: properties, x-death
    error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    parked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    replayed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    replays: Mapped[int] = mapped_column(Integer, default=0)


PARKED = "parked"
DEAD_LETTERED = "dead-lettered"


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
        "correlation_id": correlation.current(),
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
