"""The cart: what the buyer chose, at the price they were shown.

Before any money moves, every item is compared with what its shop offers now. A change of
price, a shortage of stock or a listing that is gone stops the checkout and is shown to the
buyer; nothing is ever charged at a price the buyer did not see.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from services.orders.domain.money import Money
from services.orders.listings import ListingInfo


@dataclass(frozen=True)
class CartItem:
    listing_id: str
    shop_id: str
    shop_name: str
    title: str
    quantity: int
    unit_price: Money

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
