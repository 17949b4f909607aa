"""Saving what a change did to a part: its row's new state and its timeline.

Every shop's answer, and every buyer's cancel, writes both. They are Core statements on
the tables, built once and sent at once within the caller's transaction: the unit of
work's flush of the same rows cost more than the statements themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from services.orders import db
from services.orders.domain.order import PartStatus, ShopOrderPart
from services.orders.mapping import part_state

_parts = db.ShopOrder.__table__
# The columns to set are those of each call's parameters (mapping.part_state).
UPDATE_PART = update(_parts).where(_parts.c.id == bindparam("part_id"))
INSERT_TIMELINE = insert(db.TimelineEntry.__table__)


def save_part(session: Session, part: ShopOrderPart, row: db.ShopOrder, *, at: datetime) -> None:
    """Write the part's state, and the capture id settlement set, to its row.

    The row object the session holds gets the same values as already saved: a later read
    in the same transaction sees them, and the unit of work has nothing left to write.
    """
    state = part_state(part, at=at)
    state["capture_id"] = row.capture_id
    session.execute(UPDATE_PART, {"part_id": row.id, **state})
    for column, value in state.items():
        set_committed_value(row, column, value)


def add_to_timeline(
    session: Session, part_id: str, statuses: Sequence[PartStatus], *, at: datetime
) -> None:
    """Record when the part entered each of `statuses`, in that order."""
    add_to_timeline_entries(session, part_id, [status.value for status in statuses], at=at)


def add_to_timeline_entries(
    session: Session, part_id: str, entries: Sequence[str], *, at: datetime
) -> None:
    """Timeline entries by name: statuses, or steps beside them (a cancellation asked)."""
    if entries:
        session.execute(
            INSERT_TIMELINE,
            [{"shop_order_id": part_id, "status": entry, "at": at} for entry in entries],
        )
