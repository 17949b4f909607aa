"""The price of shipping: one rule, used by every service that prices a parcel.

A shop's shipping profile is made of regions (countries named one by one, or one of the
ready-made groups below), each with one or more services (economy, standard, express or
the shop's own names) priced per parcel: the first item, then each additional item, with
a delivery estimate in days. A region may ship for free from an amount, and a shop may
name countries it never ships to. The orders service prices carts with `quote`, the catalog
sorts and compares landed prices with `cheapest`, and want lists filter with it.

Pure: plain data and arithmetic, no framework. Amounts are minor units of the profile's
currency.

Shops priced with two zones before profiles existed ("domestic" and "international" first
and additional rates, and one free-shipping amount); `from_legacy` turns those settings into
the profile that prices every cart the same: the shop's own country and the rest of the
world, each with one "standard" service, both free from the same amount.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

# The ready-made groups a region may be made of. The order is the order of precedence: a
# destination named one by one wins, then the shop's own country, then the EU, Europe
# outside the EU, North America, and last the rest of the world.
HOME = "home"
EU = "eu"
EUROPE = "europe"
NORTH_AMERICA = "north_america"
WORLD = "world"
GROUPS = (HOME, EU, EUROPE, NORTH_AMERICA, WORLD)
GROUP_NAMES = {
    HOME: "The shop's own country",
    EU: "European Union",
    EUROPE: "Europe outside the EU",
    NORTH_AMERICA: "North America",
    WORLD: "Rest of the world",
}

EU_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
EUROPE_OUTSIDE_EU = frozenset(
    "AD AL BA BY CH FO GB GG GI IM IS JE LI MC MD ME MK NO RS RU SM SJ TR UA VA XK".split()
)
NORTH_AMERICA_COUNTRIES = frozenset("US CA MX GL PM BM".split())

# The service a shop priced before it could name services.
STANDARD = "standard"
# What a buyer chooses instead of a service to fetch the parcel from the shop in person.
PICKUP = "pickup"


class NotShipped(ValueError):
    """The shop does not send parcels to this country."""


class UnknownService(ValueError):
    """The shop has no such service to this country."""


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    first: int
    additional: int = 0
    # The delivery estimate in days, when the shop gives one.
    days_min: int | None = None
    days_max: int | None = None

    def cost(self, items: int) -> int:
        return self.first + self.additional * max(items - 1, 0)


@dataclass(frozen=True)
class Region:
    name: str
    services: tuple[Service, ...]
    # A ready-made group (GROUPS) and/or countries named one by one (ISO 3166 alpha-2).
    group: str | None = None
    countries: frozenset[str] = frozenset()
    # A parcel whose items cost at least this ships for free by the region's cheapest service.
    free_over: int | None = None

    def cheapest(self) -> Service:
        return min(self.services, key=lambda service: (service.first, service.additional))


@dataclass(frozen=True)
class Profile:
    currency: str
    regions: tuple[Region, ...]
    excluded: frozenset[str] = frozenset()
    # The shop hands parcels over at its address (its town shown until an order is placed).
    pickup: bool = False

    def region_for(self, *, shop_country: str | None, destination: str) -> Region | None:
        """The region that covers `destination`, or None when the shop does not ship there."""
        destination = destination.upper()
        if destination in self.excluded:
            return None
        for region in self.regions:
            if destination in region.countries:
                return region
        home = (shop_country or "").upper()
        for group in GROUPS:
            if not in_group(group, destination, home=home):
                continue
            for region in self.regions:
                if region.group == group:
                    return region
        return None

    def ships_to(self, destination: str, *, shop_country: str | None) -> bool:
        return self.region_for(shop_country=shop_country, destination=destination) is not None


def in_group(group: str, country: str, *, home: str) -> bool:
    if group == HOME:
        return bool(home) and country == home
    if group == EU:
        return country in EU_COUNTRIES
    if group == EUROPE:
        return country in EUROPE_OUTSIDE_EU
    if group == NORTH_AMERICA:
        return country in NORTH_AMERICA_COUNTRIES
    return group == WORLD


@dataclass(frozen=True)
class Quote:
    """What one shop charges for one parcel to one country by one service."""

    amount: int
    currency: str
    service: str
    service_name: str
    days_min: int | None = None
    days_max: int | None = None
    region: str = ""
    free: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "amount": self.amount,
            "currency": self.currency,
            "service": self.service,
            "service_name": self.service_name,
            "days_min": self.days_min,
            "days_max": self.days_max,
            "free": self.free,
        }


def options(
    profile: Profile, *, shop_country: str | None, destination: str, items: int, subtotal: int
) -> list[Quote]:
    """Every service the shop offers to `destination` for this parcel, cheapest first.

    Raises NotShipped when the shop does not send parcels there."""
    region = profile.region_for(shop_country=shop_country, destination=destination)
    if region is None:
        raise NotShipped(destination.upper())
    cheapest = region.cheapest()
    free = region.free_over is not None and subtotal >= region.free_over
    quotes = [
        Quote(
            amount=0 if free and service == cheapest else service.cost(items),
            currency=profile.currency,
            service=service.code,
            service_name=service.name,
            days_min=service.days_min,
            days_max=service.days_max,
            region=region.name,
            free=free and service == cheapest,
        )
        for service in region.services
    ]
    return sorted(quotes, key=lambda quote: quote.amount)


def quote(
    profile: Profile,
    *,
    shop_country: str | None,
    destination: str,
    items: int,
    subtotal: int,
    service: str | None = None,
) -> Quote:
    """The parcel's price by `service`, or by the cheapest one when none is named.

    Raises NotShipped for a country the shop does not ship to, UnknownService for a service
    it does not offer there."""
    found = options(
        profile, shop_country=shop_country, destination=destination, items=items, subtotal=subtotal
    )
    if service is None:
        return found[0]
    for candidate in found:
        if candidate.service == service:
            return candidate
    raise UnknownService(service)


def cheapest(
    profile: Profile | None,
    *,
    shop_country: str | None,
    destination: str,
    price: int,
) -> Quote | None:
    """One item priced `price` sent to `destination` by the cheapest service: what the
    catalog's landed price and want lists count. None when the shop does not ship there
    (or has no profile)."""
    if profile is None:
        return None
    try:
        return quote(
            profile, shop_country=shop_country, destination=destination, items=1, subtotal=price
        )
    except NotShipped:
        return None


# --- the stored shape ---------------------------------------------------------------------


def from_legacy(
    *,
    currency: str,
    domestic_first: int,
    domestic_additional: int,
    international_first: int,
    international_additional: int,
    free_over: int | None = None,
) -> Profile:
    """The two-zone settings as a profile that prices every parcel as they did."""
    return Profile(
        currency=currency.upper(),
        regions=(
            Region(
                name=GROUP_NAMES[HOME],
                group=HOME,
                services=(Service(STANDARD, "Standard", domestic_first, domestic_additional),),
                free_over=free_over,
            ),
            Region(
                name=GROUP_NAMES[WORLD],
                group=WORLD,
                services=(
                    Service(STANDARD, "Standard", international_first, international_additional),
                ),
                free_over=free_over,
            ),
        ),
    )


def legacy_rates(profile: Profile) -> dict[str, int | None]:
    """The two-zone figures a profile shows to clients that predate profiles: the cheapest
    service at home and in the rest of the world (else the first region)."""

    def of(group: str) -> Region:
        return next((r for r in profile.regions if r.group == group), profile.regions[0])

    home, world = of(HOME), of(WORLD)
    return {
        "domestic_first": home.cheapest().first,
        "domestic_additional": home.cheapest().additional,
        "international_first": world.cheapest().first,
        "international_additional": world.cheapest().additional,
        "free_over": home.free_over,
    }


def with_legacy_rates(profile: Profile, changes: Mapping[str, int | None]) -> Profile:
    """The profile with the two-zone figures in `changes` applied to the "standard" (else
    cheapest) service at home and in the rest of the world: what a client that knows only
    two zones changes."""
    zones = {HOME: "domestic", WORLD: "international"}
    regions = list(profile.regions)
    for group, zone in zones.items():
        position = next((i for i, r in enumerate(regions) if r.group == group), None)
        region = (
            regions[position]
            if position is not None
            else Region(name=GROUP_NAMES[group], group=group, services=())
        )
        services = list(region.services) or [Service(STANDARD, "Standard", 0)]
        target = next((i for i, s in enumerate(services) if s.code == STANDARD), None)
        if target is None:
            target = services.index(min(services, key=lambda s: (s.first, s.additional)))
        service = services[target]
        first = changes.get(f"{zone}_first")
        additional = changes.get(f"{zone}_additional")
        services[target] = replace(
            service,
            first=service.first if first is None else int(first),
            additional=service.additional if additional is None else int(additional),
        )
        free_over = region.free_over
        if "free_over" in changes:
            free_over = changes["free_over"]
        region = replace(region, services=tuple(services), free_over=free_over)
        if position is None:
            regions.append(region)
        else:
            regions[position] = region
    return replace(profile, regions=tuple(regions))


def profile_from_dict(data: Mapping[str, Any]) -> Profile:
    """A profile from its stored shape (`profile_as_dict`)."""
    return Profile(
        currency=str(data["currency"]).upper(),
        regions=tuple(
            Region(
                name=str(region.get("name") or GROUP_NAMES.get(region.get("group") or "", "")),
                group=region.get("group"),
                countries=frozenset(c.upper() for c in region.get("countries") or ()),
                free_over=None if region.get("free_over") is None else int(region["free_over"]),
                services=tuple(
                    Service(
                        code=str(service["code"]),
                        name=str(service.get("name") or service["code"]),
                        first=int(service["first"]),
                        additional=int(service.get("additional") or 0),
                        days_min=service.get("days_min"),
                        days_max=service.get("days_max"),
                    )
                    for service in region["services"]
                ),
            )
            for region in data.get("regions") or ()
        ),
        excluded=frozenset(c.upper() for c in data.get("excluded") or ()),
        pickup=bool(data.get("pickup", False)),
    )


def profile_as_dict(profile: Profile) -> dict[str, Any]:
    return {
        "currency": profile.currency,
        "regions": [
            {
                "name": region.name,
                "group": region.group,
                "countries": sorted(region.countries),
                "free_over": region.free_over,
                "services": [
                    {
                        "code": service.code,
                        "name": service.name,
                        "first": service.first,
                        "additional": service.additional,
                        "days_min": service.days_min,
                        "days_max": service.days_max,
                    }
                    for service in region.services
                ],
            }
            for region in profile.regions
        ],
        "excluded": sorted(profile.excluded),
        "pickup": profile.pickup,
    }


def profile_of_rates(rates: Mapping[str, Any] | None) -> Profile | None:
    """The profile in a shop's rates as events and APIs carry them (contracts.ShippingRates
    as a dict): its `profile` when it has one, else the two-zone figures turned into one."""
    if not rates:
        return None
    if rates.get("profile"):
        return profile_from_dict(rates["profile"])

    def amount(name: str) -> int:
        return int(rates[name]["amount"])

    free = rates.get("free_over")
    return from_legacy(
        currency=str(rates["domestic_first"]["currency"]),
        domestic_first=amount("domestic_first"),
        domestic_additional=amount("domestic_additional") if "domestic_additional" in rates else 0,
        international_first=amount("international_first"),
        international_additional=(
            amount("international_additional") if "international_additional" in rates else 0
        ),
        free_over=int(free["amount"]) if free else None,
    )


def rates_of_profile(profile: Profile) -> dict[str, Any]:
    """A profile as events and APIs carry it: the profile, with the two-zone figures beside
    it for readers that predate profiles."""

    def money(amount: int | None) -> dict[str, Any] | None:
        return None if amount is None else {"amount": amount, "currency": profile.currency}

    legacy = legacy_rates(profile)
    return {name: money(value) for name, value in legacy.items()} | {
        "profile": profile_as_dict(profile)
    }


@lru_cache(maxsize=1024)
def regions_by_country(
    profile: Profile, shop_country: str | None, countries: tuple[str, ...]
) -> dict[str, Region]:
    """The region that covers each of `countries` the shop ships to: worked out once per
    profile, for indexes that store a price per destination."""
    found: dict[str, Region] = {}
    for country in countries:
        region = profile.region_for(shop_country=shop_country, destination=country)
        if region is not None:
            found[country] = region
    return found


def first_item_by_country(
    profile: Profile, *, shop_country: str | None, countries: tuple[str, ...], price: int
) -> dict[str, int]:
    """One item priced `price` to each country the shop ships to, by the cheapest service:
    the same figures as `cheapest`, for every destination at once."""
    regions = regions_by_country(profile, shop_country, countries)
    return {
        country: 0
        if region.free_over is not None and price >= region.free_over
        else region.cheapest().first
        for country, region in regions.items()
    }


def countries_reached(
    profile: Profile, *, shop_country: str | None, countries: Iterable[str]
) -> list[str]:
    """The countries among `countries` the shop ships to."""
    return [c for c in countries if profile.ships_to(c, shop_country=shop_country)]


def estimate_text(days_min: int | None, days_max: int | None) -> str | None:
    """ "2–4 days", "3 days" or None: how the buyer and the shop read an estimate."""
    if days_min is None and days_max is None:
        return None
    low, high = days_min or days_max, days_max or days_min
    if low == high:
        return f"{low} day{'s' if low != 1 else ''}"
    return f"{low}–{high} days"
