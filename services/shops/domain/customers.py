"""The shop's customer book: who bought, and what the shop privately remembers of them.

A customer is not registered anywhere: they are the buyers of the shop's own orders. The
shop adds private notes and tags, which no other shop and no shopper ever reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.shops.domain.errors import InvalidInput
from services.shops.domain.orders import ShopOrderStatus

NOTES_MAX = 2000
TAGS_MAX = 20
TAG_MAX = 40
SEARCH_MAX = 200

# What a customer has spent: every part still standing. A declined or cancelled part was
# voided and never paid.
NOT_SPENT = (ShopOrderStatus.DECLINED, ShopOrderStatus.CANCELLED)

# Sort keys of the customer list; a leading "-" means descending.
SORT_KEYS = ("last_order", "total_spent", "name")
DEFAULT_SORT = "-last_order"


@dataclass(frozen=True)
class CustomerNotes:
    notes: str
    tags: tuple[str, ...]


def check_customer_notes(
    current: CustomerNotes, *, notes: str | None = None, tags: list[str] | None = None
) -> CustomerNotes:
    """The notes and tags after the shop's change; None leaves that part as it is.

    Tags are trimmed, and a tag that differs from an earlier one only by case is dropped,
    so "First editions" and "first editions" never both appear.
    """
    errors: dict[str, str] = {}
    cleaned_notes = current.notes
    if notes is not None:
        cleaned_notes = notes.strip()
        if len(cleaned_notes) > NOTES_MAX:
            errors["notes"] = f"the notes must be at most {NOTES_MAX} characters"
    cleaned_tags = current.tags
    if tags is not None:
        cleaned_tags, problem = _clean_tags(tags)
        if problem:
            errors["tags"] = problem
    if errors:
        raise InvalidInput(errors)
    return CustomerNotes(notes=cleaned_notes, tags=cleaned_tags)


def _clean_tags(tags: list[str]) -> tuple[tuple[str, ...], str | None]:
    kept: list[str] = []
    seen: set[str] = set()
    for position, raw in enumerate(tags, start=1):
        tag = " ".join(raw.split())
        if not tag:
            return (), f"tag {position} is blank; remove it or write a word"
        if len(tag) > TAG_MAX:
            return (), f"the tag “{tag[:20]}…” is longer than {TAG_MAX} characters"
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            kept.append(tag)
    if len(kept) > TAGS_MAX:
        return (), f"a customer can have at most {TAGS_MAX} tags (you gave {len(kept)})"
    return tuple(kept), None


def check_sort(sort: str) -> tuple[str, bool]:
    """The sort key and whether it is descending; InvalidInput for an unknown one."""
    key = sort.strip().removeprefix("-")
    if key not in SORT_KEYS:
        raise InvalidInput(
            {"sort": "sort by last_order, total_spent or name (a leading - for descending)"}
        )
    return key, sort.strip().startswith("-")


def check_search(text: str) -> str:
    cleaned = text.strip()
    if len(cleaned) > SEARCH_MAX:
        raise InvalidInput({"q": f"search for at most {SEARCH_MAX} characters"})
    return cleaned
