"""The shop's rules, free of Flask, SQLAlchemy sessions and the broker.

Input rules turn what a seller typed into clean values or say, field by field, what to fix.
The shop order's lifecycle lives in `ShopOrderLifecycle`, a mixin the database model
inherits, so every status change goes through a method that refuses illegal moves.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

SHOP_NAME_MAX = 100
SIGNATURE_MAX = 200
ABOUT_MAX = 2000
TITLE_MAX = 300
TEXT_MAX = 300
DESCRIPTION_MAX = 5000
NOTE_MAX = 2000
REASON_MAX = 500
SHORT_MAX = 100
SLUG_MAX = 60
# Integer columns hold these with room to spare; beyond them a typo is far likelier.
PRICE_MAX = 1_000_000_000
QUANTITY_MAX = 1_000_000
DEFAULT_CURRENCY = "EUR"


class DomainError(Exception):
    """A rule of the shop was broken; the message is written for the person who asked."""


class InvalidInput(DomainError):
    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        summary = "; ".join(f"{name}: {why}" for name, why in fields.items())
        super().__init__(f"please fix: {summary}")


class IllegalTransition(DomainError):
    """A shop order cannot move from its current status to the one asked for."""


class NotFound(DomainError):
    """Unknown, or not the asker's: both read the same, so nobody learns what exists."""


class Conflict(DomainError):
    """The request clashes with what the shop already has (a SKU in use, say)."""


# --- input rules ------------------------------------------------------------------------


class _Checker:
    """Collects every field problem, so one answer lists all of them."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def required_text(self, field: str, value: str | None, *, limit: int, label: str) -> str:
        cleaned = (value or "").strip()
        if not cleaned:
            self.errors[field] = f"{label} must not be blank"
        elif len(cleaned) > limit:
            self.errors[field] = f"{label} must be at most {limit} characters"
        return cleaned

    def optional_text(self, field: str, value: str | None, *, limit: int) -> str | None:
        cleaned = (value or "").strip()
        if len(cleaned) > limit:
            self.errors[field] = f"must be at most {limit} characters"
        return cleaned or None

    def code(self, field: str, value: str | None, *, letters: int, what: str) -> str | None:
        cleaned = (value or "").strip().upper()
        if cleaned and not re.fullmatch(rf"[A-Z]{{{letters}}}", cleaned):
            self.errors[field] = f"must be a {letters}-letter {what} code, like {_EXAMPLE[what]}"
        return cleaned or None

    def done(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)


_EXAMPLE = {"country": "FR", "currency": "EUR"}


@dataclass(frozen=True)
class ShopDraft:
    name: str
    signature: str
    about: str
    country: str | None
    currency: str


def check_shop(
    *,
    name: str | None,
    signature: str | None,
    about: str | None = None,
    country: str | None = None,
    currency: str | None = None,
) -> ShopDraft:
    check = _Checker()
    draft = ShopDraft(
        name=check.required_text("name", name, limit=SHOP_NAME_MAX, label="the shop's name"),
        signature=check.required_text(
            "signature", signature, limit=SIGNATURE_MAX, label="the signature"
        ),
        about=check.optional_text("about", about, limit=ABOUT_MAX) or "",
        country=check.code("country", country, letters=2, what="country"),
        currency=check.code("currency", currency, letters=3, what="currency") or DEFAULT_CURRENCY,
    )
    check.done()
    return draft


@dataclass(frozen=True)
class ListingDraft:
    title: str
    price_amount: int
    price_currency: str
    quantity: int
    sku: str | None = None
    author: str | None = None
    isbn: str | None = None
    condition: str | None = None
    description: str = ""


def check_listing(
    *,
    title: str | None,
    price_amount: int,
    price_currency: str | None,
    quantity: int,
    sku: str | None = None,
    author: str | None = None,
    isbn: str | None = None,
    condition: str | None = None,
    description: str | None = None,
) -> ListingDraft:
    check = _Checker()
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
        sku=check.optional_text("sku", sku, limit=SHORT_MAX),
        author=check.optional_text("author", author, limit=TEXT_MAX),
        isbn=_clean_isbn(check, isbn),
        condition=check.optional_text("condition", condition, limit=SHORT_MAX),
        description=check.optional_text("description", description, limit=DESCRIPTION_MAX) or "",
    )
    check.done()
    return draft


def _clean_isbn(check: _Checker, isbn: str | None) -> str | None:
    # Sellers type ISBNs with dashes and spaces; the catalog groups works by the bare digits.
    cleaned = re.sub(r"[\s-]", "", isbn or "").upper()
    if cleaned and not re.fullmatch(r"\d{9}[\dX]|\d{13}", cleaned):
        check.errors["isbn"] = "an ISBN has 10 or 13 digits"
    return cleaned or None


def require_text(field: str, value: str | None, *, limit: int, label: str) -> str:
    check = _Checker()
    cleaned = check.required_text(field, value, limit=limit, label=label)
    check.done()
    return cleaned


# --- slugs ------------------------------------------------------------------------------


def slugify(name: str) -> str:
    """`Café de Flore Books` → `cafe-de-flore-books`; never empty."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "shop"


def unique_slug(name: str, taken: Iterable[str]) -> str:
    """The name's slug, or the first of `slug-2`, `slug-3`... that nobody has yet."""
    base = slugify(name)
    taken_set = set(taken)
    if base not in taken_set:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken_set:
        suffix += 1
    return f"{base}-{suffix}"


# --- the shop order's lifecycle -----------------------------------------------------------


class ShopOrderStatus:
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SHIPPED = "shipped"
    # The buyer's side called the order off; its reserved stock went back on the shelf.
    CANCELLED = "cancelled"

    ALL = (PENDING, ACCEPTED, DECLINED, SHIPPED, CANCELLED)


class ShopOrderLifecycle:
    """Status changes of a shop order. The class using it provides these attributes."""

    status: str
    decided_at: datetime | None
    decline_reason: str | None
    note: str | None
    signed_by: str | None
    carrier: str | None
    tracking_number: str | None
    shipped_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    stock_reserved: bool

    def _require(self, action: str, *allowed: str) -> None:
        if self.status not in allowed:
            raise IllegalTransition(
                f"this order is {self.status}, so it cannot be {action} "
                f"(only {' or '.join(allowed)} orders can be)"
            )

    def accept(self, *, now: datetime) -> None:
        self._require("accepted", ShopOrderStatus.PENDING)
        self.status = ShopOrderStatus.ACCEPTED
        self.decided_at = now

    def decline(self, *, reason: str | None, now: datetime) -> bool:
        """Decline a pending order; return True when its reserved stock must go back."""
        self._require("declined", ShopOrderStatus.PENDING)
        self.decline_reason = require_text(
            "reason", reason, limit=REASON_MAX, label="the reason for declining"
        )
        self.status = ShopOrderStatus.DECLINED
        self.decided_at = now
        return self._give_back_stock()

    def ship(
        self,
        *,
        note: str | None,
        signed_by: str,
        carrier: str | None = None,
        tracking_number: str | None = None,
        now: datetime,
    ) -> None:
        self._require("shipped", ShopOrderStatus.ACCEPTED)
        check = _Checker()
        cleaned_note = check.required_text("note", note, limit=NOTE_MAX, label="the note")
        cleaned_carrier = check.optional_text("carrier", carrier, limit=SHORT_MAX)
        cleaned_tracking = check.optional_text("tracking_number", tracking_number, limit=SHORT_MAX)
        check.done()
        self.note = cleaned_note
        self.signed_by = signed_by
        self.carrier = cleaned_carrier
        self.tracking_number = cleaned_tracking
        self.status = ShopOrderStatus.SHIPPED
        self.shipped_at = now

    def cancel(self, *, reason: str, now: datetime) -> bool:
        """Cancel an order not yet shipped; return True when its stock must go back."""
        self._require("cancelled", ShopOrderStatus.PENDING, ShopOrderStatus.ACCEPTED)
        self.status = ShopOrderStatus.CANCELLED
        self.cancelled_at = now
        self.cancel_reason = reason.strip()[:REASON_MAX] or None
        return self._give_back_stock()

    def _give_back_stock(self) -> bool:
        # Stock is given back at most once, whatever path the order takes after reserving.
        held = self.stock_reserved
        self.stock_reserved = False
        return held
