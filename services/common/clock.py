"""The one clock of every service, and the column type that keeps times in UTC.

Times are aware datetimes in UTC everywhere: in the domain, in events, in the database.
SQLite keeps no time zone, so a `DateTime(timezone=True)` column hands back naive values
there and aware ones on PostgreSQL; `UtcDateTime` makes both hand back UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
