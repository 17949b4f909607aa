"""Small builders for the orders tests, and an in-memory ListingDirectory.

The fake stands in for our own port (the shops service's listings), never for the database
or the broker: those are always real.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from services.common import shipping as shipping_rule
from services.orders.domain.cart import CartItem
from services.orders.domain.money import Money
from services.orders.domain.order import Buyer, Order, ShippingAddress
from services.orders.domain.shipping import ShippingRates
from services.orders.listings import ListingInfo, ShopsUnavailable

_titles = itertools.count(1)


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def listing(
    *,
    shop_id: str = "shop-a",
    shop_name: str | None = None,
    title: str | None = None,
    price: Money | None = None,
    quantity: int = 5,
    shop_country: str | None = None,
    shipping: ShippingRates | None = None,
    on_vacation: bool = False,
    purchasable: bool = True,
) -> ListingInfo:
    return ListingInfo(
        id=str(uuid.uuid4()),
        shop_id=shop_id,
        shop_name=shop_name or f"Shop {shop_id}",
        title=title or f"Book {next(_titles)}",
        price=price or eur(1250),
        quantity=quantity,
        shop_country=shop_country,
        shipping=shipping,
        on_vacation=on_vacation,
        purchasable=purchasable,
    )


def rates(
    domestic: tuple[int, int] = (300, 100),
    international: tuple[int, int] = (900, 400),
    *,
    free_over: int | None = None,
) -> ShippingRates:
    """A shop's two-zone rates in EUR: (first item, each additional item) at home and
    abroad, as shops set them before shipping profiles."""
    return ShippingRates.legacy(
        domestic_first=eur(domestic[0]),
        domestic_additional=eur(domestic[1]),
        international_first=eur(international[0]),
        international_additional=eur(international[1]),
        free_over=None if free_over is None else eur(free_over),
    )


def profile_rates(*, excluded: tuple[str, ...] = (), pickup: bool = False) -> ShippingRates:
    """A French shop's profile in EUR: France by economy (2.90) or express (9.90, 1 day),
    the EU by standard (6.50, free from 40.00), the rest of the world by standard (15.00)."""
    return ShippingRates(
        shipping_rule.profile_from_dict(
            {
                "currency": "EUR",
                "regions": [
                    {
                        "group": "home",
                        "name": "France",
                        "services": [
                            {"code": "economy", "name": "Economy", "first": 290,
                             "additional": 50, "days_min": 3, "days_max": 5},
                            {"code": "express", "name": "Express", "first": 990,
                             "additional": 200, "days_min": 1, "days_max": 1},
                        ],
                    },
                    {
                        "group": "eu",
                        "name": "EU",
                        "free_over": 4000,
                        "services": [{"code": "standard", "name": "Standard", "first": 650}],
                    },
                    {
                        "group": "world",
                        "name": "World",
                        "services": [{"code": "standard", "name": "Standard", "first": 1500}],
                    },
                ],
                "excluded": list(excluded),
                "pickup": pickup,
            }
        )
    )  # fmt: skip


def cart_item(info: ListingInfo | None = None, *, quantity: int = 1) -> CartItem:
    info = info or listing()
    return CartItem(
        listing_id=info.id,
        shop_id=info.shop_id,
        shop_name=info.shop_name,
        title=info.title,
        quantity=quantity,
        unit_price=info.price,
    )


def place_order(items: list[CartItem]) -> Order:
    return Order.place(
        buyer=Buyer("user-1", "Ada"),
        idempotency_key="key-1",
        shipping_address=ShippingAddress("Ada Lovelace", "1 Analytical Row, London", "GB"),
        items=items,
        placed_at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
    )


@dataclass
class InMemoryListings:
    """Listings as shops offer them now; `down` simulates a shops outage."""

    listings: dict[str, ListingInfo] = field(default_factory=dict)
    down: bool = False
    # Called on every read, e.g. to hold concurrent requests at the same point.
    on_get: Callable[[], object] | None = None

    def add(self, info: ListingInfo) -> ListingInfo:
        self.listings[info.id] = info
        return info

    def change(self, info: ListingInfo, **changes: object) -> ListingInfo:
        return self.add(replace(info, **changes))

    def remove(self, info: ListingInfo) -> None:
        del self.listings[info.id]

    def get(self, listing_id: str) -> ListingInfo | None:
        if self.on_get is not None:
            self.on_get()
        if self.down:
            raise ShopsUnavailable()
        return self.listings.get(listing_id)


# A deliverable address in each country the tests ship to.
ADDRESSES = {
    "GB": {
        "name": "Ada Lovelace",
        "street_address": "1 Analytical Row",
        "city": "London",
        "postal_code": "SW1A 2AA",
    },
    "FR": {
        "name": "Clara Reader",
        "street_address": "12 rue Vivienne",
        "city": "Paris",
        "postal_code": "75002",
    },
    "NL": {
        "name": "Ben Buyer",
        "street_address": "Damrak 1",
        "city": "Amsterdam",
        "postal_code": "1012 LG",
    },
    "US": {
        "name": "Grace Hopper",
        "street_address": "1 Main Street",
        "city": "Mountain View",
        "country_area": "CA",
        "postal_code": "94043",
    },
    "DE": {
        "name": "Karl Leser",
        "street_address": "Unter den Linden 1",
        "city": "Berlin",
        "postal_code": "10117",
    },
}


def postal_address(country: str = "GB", **changes: str) -> dict[str, str]:
    """A good address in `country` as a buyer types it, with `changes`."""
    code = country.upper()
    return {**ADDRESSES[code], "country_code": code, **changes}
