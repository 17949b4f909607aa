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

    def as_dict(self) -> dict[str, dict[str, object]]:
        return {
            "domestic_first": self.domestic_first.as_dict(),
            "domestic_additional": self.domestic_additional.as_dict(),
            "international_first": self.international_first.as_dict(),
            "international_additional": self.international_additional.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, dict[str, object]]) -> ShippingRates:
        def money(name: str) -> Money:
            value = data[name]
            return Money(int(value["amount"]), str(value["currency"]).upper())  # type: ignore[call-overload]

        return cls(
            domestic_first=money("domestic_first"),
            domestic_additional=money("domestic_additional"),
            international_first=money("international_first"),
            international_additional=money("international_additional"),
        )


def shipping_cost(
    rates: ShippingRates | None,
    *,
    items: int,
    shop_country: str | None,
    destination: str | None,
    currency: str,
) -> Money | None:
    """What one shop charges to send `items` items to `destination`.

    None when it cannot be known yet (no destination chosen). A shop without rates ships
    for free, as every shop did before shops had rates.
    """
    if rates is None or items <= 0:
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
