"""Small factories for catalog tests: events and search documents with sensible defaults."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

from services.catalog.search.port import SearchDocument
from services.common.contracts import ListingRemoved, ListingUpserted, Money, ShopUpdated

_clock = itertools.count()
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def new_id() -> str:
    return str(uuid.uuid4())


def later() -> datetime:
    """A strictly increasing moment, so "newest first" is predictable."""
    return EPOCH + timedelta(minutes=next(_clock))


def listing_upserted(**fields) -> ListingUpserted:
    moment = later()
    values = {
        "listing_id": new_id(),
        "shop_id": "shop-1",
        "revision": 1,
        "title": "The Hobbit",
        "author": "J. R. R. Tolkien",
        "isbn": "978-0-261-10221-7",
        "condition": "good",
        "description": "A well-read paperback.",
        "price": Money(amount=1250, currency="EUR"),
        "quantity": 1,
        "created_at": moment,
        "updated_at": moment,
    }
    values.update(fields)
    return ListingUpserted(**values)


def listing_removed(listing: ListingUpserted, *, revision: int) -> ListingRemoved:
    return ListingRemoved(listing_id=listing.listing_id, shop_id=listing.shop_id, revision=revision)


def shop_updated(**fields) -> ShopUpdated:
    values = {
        "shop_id": "shop-1",
        "slug": "hobbit-hole-books",
        "name": "Hobbit Hole Books",
        "signature": "Bilbo",
        "country": "GB",
        "on_vacation": False,
    }
    values.update(fields)
    return ShopUpdated(**values)


def document(**fields) -> SearchDocument:
    moment = later()
    values = {
        "listing_id": new_id(),
        "shop_id": "shop-1",
        "shop_name": "Corner Books",
        "title": "Untitled",
        "author": None,
        "isbn": None,
        "condition": "good",
        "description": "",
        "price_amount": 1000,
        "price_currency": "EUR",
        "quantity": 1,
        "created_at": moment,
        "updated_at": moment,
    }
    values.update(fields)
    return SearchDocument(**values)
