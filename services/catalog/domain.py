"""The catalog's rules, free of any framework: which update wins, who is findable, what one
work is, and how conditions compare.

The catalog is a read model. It never decides anything about a listing; it only decides
which of the updates it receives is the latest, and whether the latest state may be shown.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from services.common.clock import as_utc
from services.common.condition import Condition


class StaleUpdate(Exception):
    """An update older than (or as old as) what the catalog already holds."""


def supersedes(incoming_revision: int, stored_revision: int | None) -> bool:
    """Revisions only grow at the source; an equal one is a redelivery of what we have."""
    return stored_revision is None or incoming_revision > stored_revision


def shop_update_supersedes(
    incoming_at: datetime,
    stored_at: datetime | None,
    *,
    incoming_revision: int = 0,
    stored_revision: int = 0,
) -> bool:
    # Revisions order two updates when both publishers sent one; older publishers sent 0,
    # and then the time each update was written decides.
    if incoming_revision and stored_revision:
        return incoming_revision > stored_revision
    return stored_at is None or as_utc(incoming_at) >= as_utc(stored_at)


# Older than any update: what a shop row known only from its reviews was "changed" at.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Visibility:
    """Everything that decides whether a listing can be found by a shopper."""

    removed: bool
    quantity: int
    shop_on_vacation: bool

    @property
    def searchable(self) -> bool:
        return not self.removed and self.quantity > 0 and not self.shop_on_vacation


# --- conditions ------------------------------------------------------------------------

# The catalog keeps a grade's key; worst first: "at least Good" means rank >= Good's.
CONDITIONS = tuple(grade.value for grade in Condition.worst_first())
CONDITION_RANKS = {grade.value: grade.rank for grade in Condition}


def condition_key(value: str | None) -> str | None:
    """`Very Good`, `very-good`, `VERY_GOOD` → `very_good`; None when not on the scale."""
    grade = Condition.parse(value)
    return None if grade is None else grade.value


def condition_rank(value: str | None) -> int | None:
    grade = Condition.parse(value)
    return None if grade is None else grade.rank


@lru_cache(maxsize=1024)
def binding_key(value: str | None) -> str | None:
    """One spelling per binding, so "Hardcover" and "hardcover " are one facet value."""
    if not value or not value.strip():
        return None
    return re.sub(r"[\s-]+", "_", value.strip().lower())


# --- works -----------------------------------------------------------------------------


_NOT_ISBN_CHARACTER = re.compile(r"[^0-9X]")
# Twelve digits' ASCII codes, six weighted 1 and six weighted 3, each 48 over its digit.
_ASCII_WEIGHT = 48 * (6 + 3 * 6)


# A search document and want matching each ask for every listing of a batch in turn.
@lru_cache(maxsize=4096)
def isbn13(value: str | None) -> str | None:
    """The ISBN-13 of an ISBN typed any way (dashes, spaces, ISBN-10), or None if not one."""
    if not value:
        return None
    if value.isascii() and value.isdigit():
        compact = value  # most shops type bare digits: nothing to strip
    else:
        compact = _NOT_ISBN_CHARACTER.sub("", value.upper())
    if len(compact) == 10 and compact[:9].isdigit():
        body = "978" + compact[:9]
    elif len(compact) == 13 and compact.isdigit() and compact[:3] in ("978", "979"):
        body = compact[:12]
    else:
        return None
    codes = body.encode()
    weighted = sum(codes[0::2]) + 3 * sum(codes[1::2]) - _ASCII_WEIGHT
    return body + str((10 - weighted % 10) % 10)


def normalized_words(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.findall(r"[^\W_]+", plain))


def work_id(*, isbn: str | None, title: str, author: str | None) -> str:
    """Copies of one book share a work id: their ISBN-13, else their title and author.

    Without an ISBN, "The Hobbit" by "J.R.R. Tolkien" and "the hobbit" by "J. R. R. Tolkien"
    are one work; different editions without an ISBN are too, which a shopper comparing
    prices of an old book usually wants.
    """
    number = isbn13(isbn)
    if number is not None:
        return f"isbn-{number}"
    key = f"{normalized_words(title)}|{normalized_words(author).replace(' ', '')}"
    return "w-" + hashlib.sha256(key.encode()).hexdigest()[:24]
