"""Erasing or deleting rows past their retention period, in batches: delivery addresses in
every service that keeps a copy (orders and shops), and sent outbox and applied inbox rows
in every service (services/common/messaging/pruning.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, Update, delete, select, tuple_
from sqlalchemy.engine import Row
from sqlalchemy.orm import sessionmaker

from services.common.contracts import PostalAddress

log = logging.getLogger(__name__)
BATCH = 500


def erase_in_batches(
    session_factory: sessionmaker,
    *,
    expired: Select,
    erase: Update,
    kept: Callable[[Row[Any]], PostalAddress],
    now: datetime,
) -> int:
    """Run `erase` (bound to `erase_id`, `kept` and `erased_at`) on the rows `expired`
    selects (an `id` first), BATCH at a time, each batch in its own transaction so a large
    backlog never holds a long write lock; return how many were erased."""
    expired = expired.limit(BATCH)
    erased = 0
    while True:
        with session_factory.begin() as session:
            rows = session.execute(expired).all()
            if rows:
                session.execute(
                    erase,
                    [
                        {"erase_id": row.id, "kept": kept(row).model_dump(), "erased_at": now}
                        for row in rows
                    ],
                )
        erased += len(rows)
        if len(rows) < BATCH:
            break
    if erased:
        log.info("delivery addresses erased after their retention period", extra={"n": erased})
    return erased


def delete_in_batches(
    session_factory: sessionmaker,
    table: Table,
    *,
    keys: list,
    expired: ColumnElement[bool],
) -> int:
    """Delete the rows of `table` that `expired` selects, BATCH at a time (found by their
    primary key `keys`), each batch in its own transaction; return how many were deleted."""
    key = keys[0] if len(keys) == 1 else tuple_(*keys)
    statement = delete(table).where(key.in_(select(*keys).where(expired).limit(BATCH)))
    deleted = 0
    while True:
        with session_factory.begin() as session:
            count = session.execute(statement).rowcount
        deleted += count
        if count < BATCH:
            return deleted
