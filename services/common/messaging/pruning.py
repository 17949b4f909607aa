"""Deleting outbox and inbox rows once their retention period is over.

A sent outbox row is only a record once the broker confirmed it, and an inbox row is
needed only while its message may still be delivered again; without this job both tables
grow with every event for ever. Only sent outbox rows are deleted: an unsent event, or one
set aside after the broker kept refusing it, is kept however old it is.

Each worker runs this as a periodic job (services/common/runtime.py); the deletes go by
the indexed times (`outbox.sent_at`, `inbox.processed_at`) in batches, each in its own
transaction, so a large backlog never holds a long write lock.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Table
from sqlalchemy.orm import sessionmaker

from services.common.clock import utcnow
from services.common.retention import delete_in_batches

log = logging.getLogger(__name__)


def prune_messages(
    session_factory: sessionmaker,
    *,
    outbox: Table,
    inbox: Table | None,
    keep: timedelta,
    now: datetime | None = None,
) -> int:
    """Delete the outbox rows sent, and the inbox rows applied, more than `keep` ago;
    return how many rows were deleted."""
    cutoff = (now or utcnow()) - keep
    deleted = delete_in_batches(
        session_factory, outbox, keys=[outbox.c.id], expired=outbox.c.sent_at < cutoff
    )
    if inbox is not None:
        deleted += delete_in_batches(
            session_factory,
            inbox,
            keys=[inbox.c.consumer, inbox.c.message_id],
            expired=inbox.c.processed_at < cutoff,
        )
    if deleted:
        log.info("outbox and inbox rows past their retention deleted", extra={"n": deleted})
    return deleted
