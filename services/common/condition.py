"""The booksellers' grading scale: one `Condition` for the shops, the catalog and the pages.

Each grade has three forms, all derived here: its key (`very_good`: the catalog's filters,
search facets, want lists and the gateway's form choices), its label (`Very Good`: what a
shop keeps on its listing and sends in `listing.upserted`), and its rank (worst 1, best 7:
"at least Very Good" is rank >= 4). `Condition.parse` reads any spelling a seller or a
file uses.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache


class Condition(StrEnum):
    """A grade on the scale, best first; its value is its key."""

    NEW = "new"  # never sold before
    AS_NEW = "as_new"
    FINE = "fine"
    VERY_GOOD = "very_good"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"

    @property
    def label(self) -> str:
        """`Very Good`: the form a shop keeps and sends."""
        return _LABELS[self]

    @property
    def rank(self) -> int:
        """1 for Poor up to 7 for New, so "at least" is a comparison."""
        return _RANKS[self]

    @classmethod
    def parse(cls, value: str | None) -> Condition | None:
        """`Very Good`, `very-good`, `VERY_GOOD`, `very good` → VERY_GOOD; None when not on
        the scale (or empty)."""
        return _parse(value) if value else None

    @classmethod
    def best_first(cls) -> tuple[Condition, ...]:
        return tuple(cls)

    @classmethod
    def worst_first(cls) -> tuple[Condition, ...]:
        return tuple(reversed(cls))


_LABELS = {grade: grade.value.replace("_", " ").title() for grade in Condition}
_RANKS = {grade: rank for rank, grade in enumerate(reversed(Condition), start=1)}
_KEYS = {grade.value: grade for grade in Condition}


# Cached: a bulk upload or a reindex asks for the same few spellings on every row.
@lru_cache(maxsize=256)
def _parse(value: str) -> Condition | None:
    return _KEYS.get(re.sub(r"[\s_-]+", "_", value.strip().lower()))
