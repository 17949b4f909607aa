"""The total the buyer was shown, checked at checkout before any money moves.

Prices and stock are compared line by line (domain/cart.py, review_cart); shipping is
priced again from each shop's rates as they stand now. If the total that makes is not the
one the buyer saw, checkout stops: nothing is ordered or held, the cart takes over the
shops' current rates (so the next page shows the new total) and the answer names each shop
whose shipping changed, old and new.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.orm import sessionmaker

from services.orders.domain.cart import CartItem
from services.orders.domain.errors import DomainError
from services.orders.domain.money import Money
from services.orders.domain.order import Order, parcel_cost
from services.orders.listings import ListingInfo
from services.orders.use_cases.cart import cart_rows
from services.orders.use_cases.errors import TotalChanged


def require_shown_total(
    session_factory: sessionmaker,
    order: Order,
    items: Sequence[CartItem],
    current: dict[str, ListingInfo | None],
    *,
    expected: int | None,
    choices: Mapping[str, str] | None = None,
) -> None:
    """Raise TotalChanged unless `expected` (minor units) is the order's total; None (a
    client that sends no total) skips the check."""
    total = order.total
    if expected is None or total.amount == expected:
        return
    country = order.shipping_address.country
    shown_lines: dict[str, list[CartItem]] = {}
    for item in items:
        shown_lines.setdefault(item.shop_id, []).append(item)
    fields: dict[str, str] = {}
    for part in order.parts:
        try:
            shown: Money | None = parcel_cost(
                shown_lines[part.shop_id],
                destination=country,
                choice=(choices or {}).get(part.shop_id),
            )
        except DomainError:
            # The rates the cart had could not send it so; the new ones can.
            shown = None
        if shown != part.shipping:
            fields[part.shop_id] = f"Shipping from {part.shop_name} is now {part.shipping}" + (
                f" (was {shown})" if shown is not None else ""
            )
    if not fields:
        shown_total = Money(expected, total.currency)
        fields["expected_total"] = (
            f"The total with shipping to {country} is {total}, not {shown_total}"
        )
    take_over_current_shipping(session_factory, order.buyer.user_id, current)
    raise TotalChanged(
        f"the total changed to {total} since it was shown to you: "
        f"{'; '.join(fields.values())}. Nothing was ordered or charged; check the new total "
        "and place your order again",
        fields=fields,
        total=total,
    )


def take_over_current_shipping(
    session_factory: sessionmaker, user_id: str, current: dict[str, ListingInfo | None]
) -> None:
    with session_factory.begin() as session:
        for row in cart_rows(session, user_id):
            listing = current.get(row.listing_id)
            if listing is not None:
                row.shop_country = listing.shop_country
                row.shipping_rates = listing.shipping.as_dict() if listing.shipping else None
