"""A listing's rules: what a seller may put on the shelf, cleaned the one way the shop keeps it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from services.common.clock import utcnow
from services.common.condition import Condition
from services.shops.domain.checks import Checker
from services.shops.domain.isbn import BadIsbn, to_isbn13

TITLE_MAX = 300
TEXT_MAX = 300
DESCRIPTION_MAX = 5000
NOTES_MAX = 2000
SHORT_MAX = 100
URL_MAX = 1000
LIST_MAX = 20
# Integer columns hold these with room to spare; beyond them a typo is far likelier.
PRICE_MAX = 1_000_000_000
QUANTITY_MAX = 1_000_000
YEAR_MIN = 1400

# The shop keeps a grade's label, best first ("New" is for books never sold before).
CONDITIONS = tuple(grade.label for grade in Condition.best_first())


def canonical_condition(value: str) -> str | None:
    """`very_good`, `VERY GOOD`, `Very-Good` → `Very Good`; None when not on the scale."""
    grade = Condition.parse(value)
    return None if grade is None else grade.label


@dataclass(frozen=True)
class ListingDraft:
    title: str
    price_amount: int
    price_currency: str
    quantity: int
    sku: str | None = None
    author: str | None = None
    isbn: str | None = None
    publisher: str | None = None
    year: int | None = None
    binding: str | None = None
    condition: str | None = None
    condition_notes: str = ""
    description: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)
    photos: tuple[str, ...] = field(default_factory=tuple)


def stable_sku(listing_id: str, *, short: bool = True) -> str:
    """The SKU a listing gets when its seller gives none: made from its id, so it never
    changes, and an inventory export names every row and uploads back as it is.

    The short form is 40 random bits of the id; should a shop already use it, the long form
    (all of the id) is unique.
    """
    digits = listing_id.replace("-", "").upper()
    return f"L-{digits[:10]}" if short else f"L-{digits}"


def check_listing(
    *,
    title: str | None,
    price_amount: int,
    price_currency: str | None,
    quantity: int,
    sku: str | None = None,
    author: str | None = None,
    isbn: str | None = None,
    publisher: str | None = None,
    year: int | None = None,
    binding: str | None = None,
    condition: str | None = None,
    condition_notes: str | None = None,
    description: str | None = None,
    categories: Iterable[str] | None = None,
    photos: Iterable[str] | None = None,
    now: datetime | None = None,
) -> ListingDraft:
    check = Checker()
    if price_amount <= 0:
        check.errors["price.amount"] = "the price must be more than zero (in minor units, cents)"
    elif price_amount > PRICE_MAX:
        check.errors["price.amount"] = f"the price must be at most {PRICE_MAX} minor units"
    if quantity < 0:
        check.errors["quantity"] = "the quantity cannot be negative"
    elif quantity > QUANTITY_MAX:
        check.errors["quantity"] = f"the quantity must be at most {QUANTITY_MAX}"
    currency = check.code("price.currency", price_currency, letters=3, what="currency")
    if currency is None and "price.currency" not in check.errors:
        check.errors["price.currency"] = "give the price's currency, like EUR"
    draft = ListingDraft(
        title=check.required_text("title", title, limit=TITLE_MAX, label="the title"),
        price_amount=price_amount,
        price_currency=currency or "",
        quantity=quantity,
        sku=check.optional_text("sku", sku, limit=SHORT_MAX, multiline=False),
        author=check.optional_text("author", author, limit=TEXT_MAX),
        isbn=_clean_isbn(check, isbn),
        publisher=check.optional_text("publisher", publisher, limit=TEXT_MAX),
        year=_clean_year(check, year, now=now),
        binding=check.optional_text("binding", binding, limit=SHORT_MAX, multiline=False),
        condition=_clean_condition(check, condition),
        condition_notes=check.optional_text("condition_notes", condition_notes, limit=NOTES_MAX)
        or "",
        description=check.optional_text("description", description, limit=DESCRIPTION_MAX) or "",
        categories=_clean_categories(check, categories),
        photos=_clean_photos(check, photos),
    )
    check.done()
    return draft


def change_listing(current: ListingDraft, changes: dict[str, Any]) -> ListingDraft:
    """`current` with `changes` applied, every field checked again as for a new listing."""
    merged = replace(current, **changes)
    return check_listing(**asdict(merged))


def _clean_isbn(check: Checker, isbn: str | None) -> str | None:
    if not (isbn or "").strip():
        return None
    try:
        return to_isbn13(isbn or "")
    except BadIsbn as error:
        check.errors["isbn"] = str(error)
        return None


def _clean_year(check: Checker, year: int | None, *, now: datetime | None) -> int | None:
    if year is None:
        return None
    latest = (now or utcnow()).year + 1
    # A book announced for next year may already be listed; later than that is a typo.
    if not YEAR_MIN <= year <= latest:
        check.errors["year"] = f"the year must be between {YEAR_MIN} and {latest}"
    return year


def _clean_condition(check: Checker, condition: str | None) -> str | None:
    if not (condition or "").strip():
        return None
    label = canonical_condition(condition or "")
    if label is None:
        check.errors["condition"] = "use one of: " + ", ".join(CONDITIONS)
    return label


def _clean_categories(check: Checker, categories: Iterable[str] | None) -> tuple[str, ...]:
    cleaned: list[str] = []
    for category in categories or ():
        text = category.strip()
        if len(text) > SHORT_MAX:
            check.errors["categories"] = f"each category must be at most {SHORT_MAX} characters"
        elif text and text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > LIST_MAX:
        check.errors["categories"] = f"at most {LIST_MAX} categories"
    return tuple(cleaned)


def _clean_photos(check: Checker, photos: Iterable[str] | None) -> tuple[str, ...]:
    cleaned: list[str] = []
    for photo in photos or ():
        url = photo.strip()
        if not url:
            continue
        if len(url) > URL_MAX or not re.fullmatch(r"https?://[^\s/]+\S*", url, re.IGNORECASE):
            check.errors["photos"] = "each photo must be an http:// or https:// address"
        elif url not in cleaned:
            cleaned.append(url)
    if len(cleaned) > LIST_MAX:
        check.errors["photos"] = f"at most {LIST_MAX} photos"
    return tuple(cleaned)
