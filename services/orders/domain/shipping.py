"""Shipping per shop: each shop sets its own rates, the buyer's country picks which apply.

A parcel costs the first item's rate plus the additional rate for every further item, so
several items from one shop pay that shop's shipping once. It is domestic when the buyer's
country is the shop's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.orders.domain.errors import MixedCurrencies
from services.orders.domain.money import Money


@dataclass(frozen=True)
class ShippingRates:
    domestic_first: Money
    domestic_additional: Money
    international_first: Money
    international_additional: Money
    # Items worth at least this ship for free, wherever they go.
    free_over: Money | None = None

    def as_dict(self) -> dict[str, dict[str, object] | None]:
        return {
            "domestic_first": self.domestic_first.as_dict(),
            "domestic_additional": self.domestic_additional.as_dict(),
            "international_first": self.international_first.as_dict(),
            "international_additional": self.international_additional.as_dict(),
            "free_over": None if self.free_over is None else self.free_over.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, dict[str, object] | None]) -> ShippingRates:
        def money(name: str) -> Money:
            value = data[name]
            assert value is not None, name
            return Money(int(value["amount"]), str(value["currency"]).upper())  # type: ignore[call-overload]

        return cls(
            domestic_first=money("domestic_first"),
            domestic_additional=money("domestic_additional"),
            international_first=money("international_first"),
            international_additional=money("international_additional"),
            # Rates kept before free shipping existed have no such key.
            free_over=money("free_over") if data.get("free_over") else None,
        )


def shipping_cost(
    rates: ShippingRates | None,
    *,
    items: int,
    shop_country: str | None,
    destination: str | None,
    currency: str,
    subtotal: Money | None = None,
) -> Money | None:
    """What one shop charges to send `items` items, worth `subtotal`, to `destination`.

    None when it cannot be known yet (no destination chosen). A shop without rates ships
    for free, as every shop did before shops had rates; so does a parcel worth the shop's
    free-shipping amount, wherever it goes.
    """
    if rates is None or items <= 0:
        return Money.zero(currency)
    free_over = rates.free_over
    if (
        free_over is not None
        and subtotal is not None
        and subtotal.currency == free_over.currency
        and subtotal.amount >= free_over.amount
    ):
        return Money.zero(currency)
    if destination is None:
        return None
    domestic = shop_country is not None and shop_country.upper() == destination.upper()
    first = rates.domestic_first if domestic else rates.international_first
    additional = rates.domestic_additional if domestic else rates.international_additional
    cost = first + additional.times(items - 1)
    if cost.currency != currency:
        raise MixedCurrencies(
            f"this shop's shipping is priced in {cost.currency} and its items in {currency}; "
            "the shop has to fix its rates before you can check out"
        )
    return cost
