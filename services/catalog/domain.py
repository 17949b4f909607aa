"""The catalog's rules, free of any framework: which listing state wins, who is findable.

The catalog is a read model. It never decides anything about a listing; it only decides
which of the updates it receives is the latest, and whether the latest state may be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


class StaleUpdate(Exception):
    """An update older than (or as old as) what the catalog already holds."""


def supersedes(incoming_revision: int, stored_revision: int | None) -> bool:
    """Revisions only grow at the source; an equal one is a redelivery of what we have."""
    return stored_revision is None or incoming_revision > stored_revision


def shop_update_supersedes(incoming_at: datetime, stored_at: datetime | None) -> bool:
    # shop.updated carries no revision; the time it was written orders two updates instead.
    return stored_at is None or as_utc(incoming_at) >= as_utc(stored_at)


def as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for what we stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Visibility:
    """Everything that decides whether a listing can be found by a shopper."""

    removed: bool
    quantity: int
    shop_on_vacation: bool

    @property
    def searchable(self) -> bool:
        return not self.removed and self.quantity > 0 and not self.shop_on_vacation
