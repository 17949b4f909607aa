"""The cart: what the buyer chose, at the price they were shown.

Before any money moves, every item is compared with what its shop offers now. A change of
price, a shortage of stock or a listing that is gone stops the checkout and is shown to the
buyer; nothing is ever charged at a price the buyer did not see.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from services.orders.domain.money import Money
from services.orders.domain.shipping import ShippingRates
from services.orders.listings import ListingInfo


@dataclass(frozen=True)
class CartItem:
    listing_id: str
    shop_id: str
    shop_name: str
    title: str
    quantity: int
    unit_price: Money
    # The shop's country and rates as last read from the shop: they price the parcel.
    shop_country: str | None = None
    shipping_rates: ShippingRates | None = None

    @property
    def line_total(self) -> Money:
        return self.unit_price.times(self.quantity)


@dataclass(frozen=True)
class CartProblem:
    """One item that cannot be bought as it stands, and why, in the buyer's words."""

    listing_id: str
    message: str
    # The price the shop asks now, when the listing still exists: the cart takes it over.
    current_price: Money | None = None


def availability_problem(title: str, listing: ListingInfo) -> str | None:
    """Why a listing cannot be bought at all right now, whatever the quantity, or None."""
    if listing.on_vacation:
        return f"“{title}” cannot be bought while {listing.shop_name or 'its shop'} is on vacation"
    # A sold-out listing is not purchasable either; the stock message says that better.
    if not listing.purchasable and listing.quantity > 0:
        return f"“{title}” cannot be bought right now: its shop is not taking orders"
    return None


def stock_problem(title: str, wanted: int, available: int) -> str | None:
    """Why `wanted` copies cannot be had when the shop has `available`, or None."""
    if available <= 0:
        return f"“{title}” is sold out"
    if wanted > available:
        return f"only {available} of “{title}” left, you asked for {wanted}"
    return None


def review_cart(
    items: Sequence[CartItem], current: Mapping[str, ListingInfo | None]
) -> list[CartProblem]:
    """Compare each cart item with the listing as its shop offers it now."""
    problems: list[CartProblem] = []
    for item in items:
        listing = current.get(item.listing_id)
        if listing is None:
            problems.append(CartProblem(item.listing_id, f"“{item.title}” is no longer for sale"))
            continue
        reasons: list[str] = []
        unavailable = availability_problem(item.title, listing)
        if unavailable:
            reasons.append(unavailable)
        if listing.price != item.unit_price:
            reasons.append(
                f"the price of “{item.title}” changed from {item.unit_price} to {listing.price}"
            )
        shortage = stock_problem(item.title, item.quantity, listing.quantity)
        if shortage:
            reasons.append(shortage)
        if reasons:
            problems.append(CartProblem(item.listing_id, "; ".join(reasons), listing.price))
    return problems
