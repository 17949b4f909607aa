"""Shipping per shop: the orders side of the one rule in services/common/shipping.py.

A parcel costs the chosen service's first-item rate plus its additional rate for every
further item, so several items from one shop pay that shop's shipping once. The buyer
chooses a service per shop (the cheapest when they say nothing), or collection in person
when the shop offers it: no charge, and no street address for that shop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.common import shipping as rule
from services.orders.domain.errors import DomainError, MixedCurrencies
from services.orders.domain.money import Money


class NotShippedTo(DomainError):
    """A shop in the cart does not send parcels to the buyer's country."""


class UnknownDelivery(DomainError):
    """The buyer chose a service (or collection) the shop does not offer there."""


@dataclass(frozen=True)
class ShippingRates:
    """A shop's shipping profile as orders reads it from the shops service."""

    profile: rule.Profile

    def as_dict(self) -> dict[str, Any]:
        return rule.rates_of_profile(self.profile)

    @classmethod
    def legacy(
        cls,
        *,
        domestic_first: Money,
        domestic_additional: Money,
        international_first: Money,
        international_additional: Money,
        free_over: Money | None = None,
    ) -> ShippingRates:
        """The two-zone rates shops set before profiles, as the profile that prices alike."""
        return cls(
            rule.from_legacy(
                currency=domestic_first.currency,
                domestic_first=domestic_first.amount,
                domestic_additional=domestic_additional.amount,
                international_first=international_first.amount,
                international_additional=international_additional.amount,
                free_over=None if free_over is None else free_over.amount,
            )
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ShippingRates:
        # Rates kept before profiles existed hold the two-zone figures alone.
        profile = rule.profile_of_rates(data)
        assert profile is not None, "from_dict is only called with rates"
        return cls(profile)


@dataclass(frozen=True)
class Delivery:
    """How one part reaches the buyer, and what it costs."""

    cost: Money
    service: str = rule.STANDARD
    service_name: str = "Standard"
    days_min: int | None = None
    days_max: int | None = None
    collection: bool = False

    @classmethod
    def free(cls, currency: str) -> Delivery:
        """A shop without rates ships for free, as every shop did before shops had rates."""
        return cls(Money.zero(currency))


def delivery(
    rates: ShippingRates | None,
    *,
    shop_name: str,
    items: int,
    shop_country: str | None,
    destination: str,
    subtotal: Money,
    choice: str | None = None,
) -> Delivery:
    """The part's delivery by `choice` (a service code, `pickup`, or None for the cheapest)."""
    currency = subtotal.currency
    if rates is None or items <= 0:
        if choice == rule.PICKUP:
            raise UnknownDelivery(f"{shop_name} does not offer collection in person")
        return Delivery.free(currency)
    profile = rates.profile
    if choice == rule.PICKUP:
        if not profile.pickup:
            raise UnknownDelivery(
                f"{shop_name} does not offer collection in person: choose a shipping service"
            )
        return Delivery(Money.zero(currency), rule.PICKUP, "Collection in person", collection=True)
    if profile.currency != currency:
        raise MixedCurrencies(
            f"this shop's shipping is priced in {profile.currency} and its items in {currency}; "
            "the shop has to fix its rates before you can check out"
        )
    try:
        found = rule.quote(
            profile,
            shop_country=shop_country,
            destination=destination,
            items=items,
            subtotal=subtotal.amount,
            service=choice,
        )
    except rule.NotShipped as error:
        raise NotShippedTo(
            f"{shop_name} does not ship to {destination.upper()}: "
            + ("choose collection in person, or " if profile.pickup else "")
            + "remove its items from your cart to order the rest"
        ) from error
    except rule.UnknownService as error:
        raise UnknownDelivery(
            f"{shop_name} has no “{choice}” service to {destination.upper()}: choose one of "
            + ", ".join(
                option.service
                for option in rule.options(
                    profile,
                    shop_country=shop_country,
                    destination=destination,
                    items=items,
                    subtotal=subtotal.amount,
                )
            )
        ) from error
    return Delivery(
        Money(found.amount, currency),
        found.service,
        found.service_name,
        found.days_min,
        found.days_max,
    )


def shipping_cost(
    rates: ShippingRates | None,
    *,
    items: int,
    shop_country: str | None,
    destination: str | None,
    currency: str,
    subtotal: Money | None = None,
    choice: str | None = None,
    shop_name: str = "This shop",
) -> Money | None:
    """What one shop charges to send `items` items, worth `subtotal`, to `destination`.

    None when it cannot be known yet (no destination chosen), unless the parcel ships for
    free wherever it goes (its worth reaches every region's free-shipping amount)."""
    worth = subtotal if subtotal is not None else Money.zero(currency)
    if rates is None or items <= 0 or choice == rule.PICKUP:
        if choice == rule.PICKUP and (rates is None or not rates.profile.pickup):
            return None
        return Money.zero(currency)
    if destination is None:
        regions = rates.profile.regions
        if (
            regions
            and all(
                region.free_over is not None and worth.amount >= region.free_over
                for region in regions
            )
            and worth.currency == rates.profile.currency
        ):
            return Money.zero(currency)
        return None
    return delivery(
        rates,
        shop_name=shop_name,
        items=items,
        shop_country=shop_country,
        destination=destination,
        subtotal=worth,
        choice=choice,
    ).cost
