"""The one clock of every service: times are aware datetimes in UTC everywhere, in the
domain, in events and in the database (`services.common.db.UtcDateTime` columns)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive one (an old row read without its zone, a form's value) is
    taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
