"""Listings: the shop's inventory, edited one at a time or many at once, and read back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Row, bindparam, func, or_, select
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.messaging.tables import add_to_outbox
from services.shops.db import Listing, OutboxMessage, Shop, new_id
from services.shops.domain import (
    Conflict,
    InvalidInput,
    ListingDraft,
    NotFound,
    canonical_condition,
    change_listing,
    looks_like_isbn,
    stable_sku,
)
from services.shops.domain.listing import PRICE_MAX, QUANTITY_MAX
from services.shops.events import listing_removed, listing_upserted, listings_upserted

NO_SUCH_LISTING = "no such listing in this shop"
BULK_MAX = 1000
EVENT_BATCH = 500
SORTS: dict[str, Any] = {
    "title": Listing.title,
    "price": Listing.price_amount,
    "quantity": Listing.quantity,
    "updated": Listing.updated_at,
}


def draft_of(listing: Listing) -> ListingDraft:
    return ListingDraft(
        title=listing.title,
        price_amount=listing.price_amount,
        price_currency=listing.price_currency,
        quantity=listing.quantity,
        sku=listing.sku,
        author=listing.author,
        isbn=listing.isbn,
        publisher=listing.publisher,
        year=listing.year,
        binding=listing.binding,
        condition=listing.condition,
        condition_notes=listing.condition_notes,
        description=listing.description,
        categories=tuple(listing.categories or ()),
        photos=tuple(listing.photos or ()),
    )


def columns_of(draft: ListingDraft) -> dict[str, Any]:
    # Not dataclasses.asdict, nor a getattr per field: a copy of the instance's own dict
    # (which holds exactly its fields) costs a fraction of either, on every row of an upload.
    values = vars(draft).copy()
    values["categories"] = list(draft.categories)
    values["photos"] = list(draft.photos)
    return values


def lock_skus(session: Session, shop: Shop) -> None:
    """Serialize the writes that give out SKUs in one shop (adding, renaming, uploading).

    With this lock a bulk upload can read which SKUs exist and then write, knowing nobody
    adds one in between. SQLite's BEGIN IMMEDIATE already serializes every writer.
    """
    session.execute(select(Shop.id).where(Shop.id == shop.id).with_for_update())


def _refuse_taken_sku(session: Session, shop: Shop, sku: str | None, *, but: str = "") -> None:
    if sku is None:
        return
    lock_skus(session, shop)
    taken = session.scalar(
        select(Listing.id).where(Listing.shop_id == shop.id, Listing.sku == sku, Listing.id != but)
    )
    if taken:
        raise Conflict(f"SKU {sku!r} is already used by another of your listings")


def _with_sku(session: Session, shop: Shop, draft: ListingDraft, listing_id: str) -> ListingDraft:
    """The draft with the seller's SKU, or else the listing's stable one."""
    if draft.sku is not None:
        return draft
    lock_skus(session, shop)
    sku = stable_sku(listing_id)
    taken = session.scalar(
        select(Listing.id).where(
            Listing.shop_id == shop.id, Listing.sku == sku, Listing.id != listing_id
        )
    )
    return replace(draft, sku=stable_sku(listing_id, short=False) if taken else sku)


def add_listing(session: Session, *, shop: Shop, draft: ListingDraft) -> Listing:
    _refuse_taken_sku(session, shop, draft.sku)
    now = utcnow()
    listing_id = new_id()
    draft = _with_sku(session, shop, draft, listing_id)
    listing = Listing(id=listing_id, shop_id=shop.id, revision=1, created_at=now, updated_at=now)
    for name, value in columns_of(draft).items():
        setattr(listing, name, value)
    session.add(listing)
    session.flush()
    add_to_outbox(session, OutboxMessage, listing_upserted(listing))
    return listing


def _own_listing(session: Session, shop: Shop, listing_id: str) -> Listing:
    # Locked, so an edit and an order reserving stock cannot overwrite each other.
    listing = session.scalars(
        select(Listing)
        .where(Listing.id == listing_id, Listing.shop_id == shop.id)
        .with_for_update()
    ).first()
    if listing is None:
        raise NotFound(NO_SUCH_LISTING)
    return listing


def change_one(
    session: Session, *, shop: Shop, listing_id: str, changes: dict[str, Any]
) -> Listing:
    """Edit a listing; a real change bumps its revision and is announced."""
    listing = _own_listing(session, shop, listing_id)
    current = draft_of(listing)
    wanted = _with_sku(session, shop, change_listing(current, changes), listing.id)
    if wanted == current:
        return listing
    if wanted.sku != current.sku:
        _refuse_taken_sku(session, shop, wanted.sku, but=listing.id)
    for name, value in columns_of(wanted).items():
        setattr(listing, name, value)
    listing.revision += 1
    listing.updated_at = utcnow()
    session.flush()
    add_to_outbox(session, OutboxMessage, listing_upserted(listing))
    return listing


def change_stock(session: Session, *, shop: Shop, listing_id: str, delta: int) -> Listing:
    """Add `delta` to the stock under the listing's row lock; below zero changes nothing."""
    listing = _own_listing(session, shop, listing_id)
    if listing.quantity + delta < 0:
        raise Conflict(
            f"only {listing.quantity} in stock: taking {-delta} would go below zero; "
            "nothing was changed"
        )
    return change_one(
        session, shop=shop, listing_id=listing_id, changes={"quantity": listing.quantity + delta}
    )


def remove_listing(session: Session, *, shop: Shop, listing_id: str) -> list[str]:
    """Delete the listing; the keys of its photos, whose files may go once this commits."""
    listing = _own_listing(session, shop, listing_id)
    add_to_outbox(session, OutboxMessage, listing_removed(listing))
    keys = [photo["key"] for photo in listing.images or []]
    session.delete(listing)
    return keys


@dataclass(frozen=True)
class BulkChange:
    """Exactly one price change and/or one quantity change, for many listings at once."""

    set_price: int | None = None
    adjust_price_percent: float | None = None
    set_quantity: int | None = None
    adjust_quantity: int | None = None

    def check(self) -> None:
        errors = {}
        if self.set_price is not None and self.adjust_price_percent is not None:
            errors["set_price"] = "give set_price or adjust_price_percent, not both"
        if self.set_quantity is not None and self.adjust_quantity is not None:
            errors["set_quantity"] = "give set_quantity or adjust_quantity, not both"
        if not errors and all(value is None for value in asdict(self).values()):
            errors["body"] = (
                "say what to change: set_price, adjust_price_percent, "
                "set_quantity or adjust_quantity"
            )
        if errors:
            raise InvalidInput(errors)

    def price(self, amount: int) -> int:
        if self.set_price is not None:
            return self.set_price
        if self.adjust_price_percent is not None:
            return round(amount * (100 + self.adjust_price_percent) / 100)
        return amount

    def quantity(self, quantity: int) -> int:
        if self.set_quantity is not None:
            return self.set_quantity
        return quantity + (self.adjust_quantity or 0)


def change_many(
    session: Session, *, shop: Shop, listing_ids: Sequence[str], change: BulkChange
) -> list[Listing]:
    """Apply `change` to every listing named, or to none when one of them cannot take it."""
    change.check()
    wanted_ids = sorted(set(listing_ids))
    if not wanted_ids or len(wanted_ids) > BULK_MAX:
        raise InvalidInput({"listing_ids": f"name between 1 and {BULK_MAX} listings"})
    # Locked in id order, as stock reservations lock them, so the two never deadlock.
    listings = list(
        session.scalars(
            select(Listing)
            .where(Listing.shop_id == shop.id, Listing.id.in_(wanted_ids))
            .order_by(Listing.id)
            .with_for_update()
        )
    )
    missing = set(wanted_ids) - {listing.id for listing in listings}
    if missing:
        raise NotFound(f"{NO_SUCH_LISTING}: {', '.join(sorted(missing)[:5])}")
    errors: dict[str, str] = {}
    for listing in listings:
        price, quantity = change.price(listing.price_amount), change.quantity(listing.quantity)
        if not 0 < price <= PRICE_MAX:
            errors[f"price.{listing.id}"] = f"{listing.title}: the price would become {price}"
        if not 0 <= quantity <= QUANTITY_MAX:
            errors[f"quantity.{listing.id}"] = (
                f"{listing.title}: the quantity would become {quantity}"
            )
    if errors:
        raise InvalidInput(errors)
    now = utcnow()
    changed = []
    for listing in listings:
        price, quantity = change.price(listing.price_amount), change.quantity(listing.quantity)
        if (price, quantity) != (listing.price_amount, listing.quantity):
            listing.price_amount, listing.quantity = price, quantity
            listing.revision += 1
            listing.updated_at = now
            changed.append(listing)
    session.flush()
    for start in range(0, len(changed), EVENT_BATCH):
        batch = changed[start : start + EVENT_BATCH]
        add_to_outbox(session, OutboxMessage, listings_upserted(shop.id, batch))
    return listings


@dataclass(frozen=True)
class ListingQuery:
    q: str = ""
    in_stock: bool | None = None
    condition: str | None = None
    sort: str = "-updated"
    page: int = 1
    per_page: int = 100


def find_listings(
    session: Session, *, shop: Shop, query: ListingQuery
) -> tuple[list[Listing], int]:
    """One page of the shop's listings matching `query`, and how many match in all."""
    where: list[ColumnElement[bool]] = [Listing.shop_id == shop.id]
    text = query.q.strip()
    if text:
        matches = [
            Listing.title.icontains(text, autoescape=True),
            Listing.author.icontains(text, autoescape=True),
            Listing.sku.icontains(text, autoescape=True),
            Listing.isbn == (looks_like_isbn(text) or text),
        ]
        where.append(or_(*matches))
    if query.in_stock is not None:
        where.append(Listing.quantity > 0 if query.in_stock else Listing.quantity == 0)
    if query.condition:
        label = canonical_condition(query.condition)
        if label is None:
            raise InvalidInput({"condition": "not a condition on the booksellers' scale"})
        where.append(Listing.condition == label)
    key = query.sort.removeprefix("-")
    if key not in SORTS:
        raise InvalidInput({"sort": "sort by title, price, quantity or updated (- for descending)"})
    column = SORTS[key]
    order = column.desc() if query.sort.startswith("-") else column.asc()
    total = session.scalar(select(func.count()).select_from(Listing).where(*where)) or 0
    page = list(
        session.scalars(
            select(Listing)
            .where(*where)
            .order_by(order, Listing.id)
            .limit(query.per_page)
            .offset((query.page - 1) * query.per_page)
        )
    )
    return page, total


def public_listing(session: Session, *, listing_id: str) -> tuple[Row[Any], Row[Any]]:
    """The listing and its shop, as rows with the columns of each."""
    listing = session.execute(LISTING_BY_ID, {"id": listing_id}).first()
    if listing is None:
        raise NotFound("no such listing")
    return listing, session.execute(SHOP_BY_ID, {"id": listing.shop_id}).one()


# The orders service reads a listing once per line of every checkout, so these statements
# are built once, on the tables: plain Core skips the ORM's compile and loading steps.
_listings = Listing.__table__
_shops = Shop.__table__
LISTING_BY_ID = select(_listings).where(_listings.c.id == bindparam("id"))
SHOP_BY_ID = select(_shops).where(_shops.c.id == bindparam("id"))


def listing_feed(session: Session, *, after: str, limit: int) -> list[Listing]:
    """Every shop's listings in id order, from just after `after`: a search index rebuild."""
    query = select(Listing).where(Listing.id > after).order_by(Listing.id).limit(limit)
    return list(session.scalars(query))
