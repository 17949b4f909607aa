"""A shop's profile and settings: what a seller may set, and how a shop's name becomes a slug."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from pydantic import ValidationError

from services.common import shipping as shipping_rule
from services.common.contracts import ShippingProfile
from services.common.inputs import is_country
from services.shops.domain.checks import Checker

SHOP_NAME_MAX = 100
SIGNATURE_MAX = 200
ABOUT_MAX = 2000
POLICY_MAX = 5000
SLUG_MAX = 60
DEFAULT_CURRENCY = "EUR"
# Shipping a parcel for more than this is far likelier a typo than a price.
SHIPPING_MAX = 100_000
FREE_OVER_MAX = 10_000_000
TOWN_MAX = 100
POSTAL_CODE_MAX = 20
RESPONSE_HOURS_DEFAULT = 48
RESPONSE_HOURS_MAX = 14 * 24


class OrderHandling:
    MANUAL = "manual"
    AUTO_ACCEPT = "auto_accept"

    ALL = (MANUAL, AUTO_ACCEPT)


@dataclass(frozen=True)
class ShopDraft:
    name: str
    signature: str
    about: str
    country: str | None
    currency: str


def check_shop(
    *,
    name: str | None,
    signature: str | None,
    about: str | None = None,
    country: str | None = None,
    currency: str | None = None,
) -> ShopDraft:
    check = Checker()
    draft = ShopDraft(
        name=check.required_text(
            "name", name, limit=SHOP_NAME_MAX, label="the shop's name", multiline=False
        ),
        signature=check.required_text(
            "signature", signature, limit=SIGNATURE_MAX, label="the signature"
        ),
        about=check.optional_text("about", about, limit=ABOUT_MAX) or "",
        country=check.code("country", country, letters=2, what="country"),
        currency=check.code("currency", currency, letters=3, what="currency") or DEFAULT_CURRENCY,
    )
    check.done()
    return draft


@dataclass(frozen=True)
class ShopSettings:
    """Everything an owner may change about the shop; amounts in the shop's currency."""

    name: str
    signature: str
    about: str = ""
    country: str | None = None
    currency: str = DEFAULT_CURRENCY
    returns_policy: str = ""
    shipping_policy: str = ""
    ship_domestic_first: int = 0
    ship_domestic_additional: int = 0
    ship_international_first: int = 0
    ship_international_additional: int = 0
    ship_free_over: int | None = None
    order_handling: str = OrderHandling.MANUAL
    response_hours: int = RESPONSE_HOURS_DEFAULT
    on_vacation: bool = False
    # The shop's shipping by region and service (services/common/shipping.py, stored shape);
    # None for a shop that has only ever set the two-zone rates above.
    shipping_profile: dict[str, Any] | None = None
    # Where the shop is: its town (shown to shoppers) and postal code (shown once ordered).
    town: str | None = None
    postal_code: str | None = None

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(field.name for field in fields(cls))


# How each setting is named in the API, so an error points at the field the seller sent.
API_NAMES = {
    "returns_policy": "policies.returns",
    "shipping_policy": "policies.shipping_times",
    "ship_domestic_first": "shipping.domestic_first.amount",
    "ship_domestic_additional": "shipping.domestic_additional.amount",
    "ship_international_first": "shipping.international_first.amount",
    "ship_international_additional": "shipping.international_additional.amount",
    "ship_free_over": "shipping.free_over.amount",
    "order_handling": "order_handling.mode",
    "response_hours": "order_handling.response_hours",
}
RATE_FIELDS = (
    "ship_domestic_first",
    "ship_domestic_additional",
    "ship_international_first",
    "ship_international_additional",
)


def change_settings(current: ShopSettings, changes: Mapping[str, Any]) -> ShopSettings:
    """The settings with `changes` applied, every field checked; InvalidInput otherwise."""
    unknown = set(changes) - set(ShopSettings.names())
    assert not unknown, f"not a shop setting: {unknown}"
    merged = replace(current, **changes)
    check = Checker()

    def name(field: str) -> str:
        return API_NAMES.get(field, field)

    cleaned: dict[str, Any] = {
        "name": check.required_text(
            "name", merged.name, limit=SHOP_NAME_MAX, label="the shop's name"
        ),
        "signature": check.required_text(
            "signature", merged.signature, limit=SIGNATURE_MAX, label="the signature"
        ),
        "about": check.optional_text("about", merged.about, limit=ABOUT_MAX) or "",
        "country": check.code("country", merged.country, letters=2, what="country"),
        "currency": check.code("currency", merged.currency, letters=3, what="currency")
        or DEFAULT_CURRENCY,
        "returns_policy": check.optional_text(
            name("returns_policy"), merged.returns_policy, limit=POLICY_MAX
        )
        or "",
        "shipping_policy": check.optional_text(
            name("shipping_policy"), merged.shipping_policy, limit=POLICY_MAX
        )
        or "",
    }
    for rate in RATE_FIELDS:
        cleaned[rate] = check.whole_number(
            name(rate), getattr(merged, rate), low=0, high=SHIPPING_MAX, what="a shipping rate"
        )
    cleaned["ship_free_over"] = (
        None
        if merged.ship_free_over is None
        else check.whole_number(
            name("ship_free_over"),
            merged.ship_free_over,
            low=1,
            high=FREE_OVER_MAX,
            what="the amount from which shipping is free",
        )
    )
    if merged.order_handling not in OrderHandling.ALL:
        check.errors[name("order_handling")] = "choose manual or auto_accept"
    cleaned["order_handling"] = merged.order_handling
    cleaned["response_hours"] = check.whole_number(
        name("response_hours"),
        merged.response_hours,
        low=1,
        high=RESPONSE_HOURS_MAX,
        what="the response window in hours",
    )
    cleaned["on_vacation"] = bool(merged.on_vacation)
    cleaned["town"] = check.optional_text(
        "location.town", merged.town, limit=TOWN_MAX, multiline=False
    )
    cleaned["postal_code"] = check.optional_text(
        "location.postal_code", merged.postal_code, limit=POSTAL_CODE_MAX, multiline=False
    )
    legacy_changed = any(name.startswith("ship_") for name in changes)
    profile = _checked_profile(check, merged, cleaned["currency"])
    if profile is not None and "shipping_profile" not in changes and legacy_changed:
        # A client that knows two zones changed them: the profile follows.
        profile = shipping_rule.with_legacy_rates(
            profile,
            {
                "domestic_first": cleaned["ship_domestic_first"],
                "domestic_additional": cleaned["ship_domestic_additional"],
                "international_first": cleaned["ship_international_first"],
                "international_additional": cleaned["ship_international_additional"],
                "free_over": cleaned["ship_free_over"],
            },
        )
    check.done()
    if profile is not None:
        cleaned["shipping_profile"] = shipping_rule.profile_as_dict(profile)
        # The two-zone figures stay what readers that predate profiles see.
        legacy = shipping_rule.legacy_rates(profile)
        for zone in ("domestic", "international"):
            for part in ("first", "additional"):
                cleaned[f"ship_{zone}_{part}"] = legacy[f"{zone}_{part}"]
        cleaned["ship_free_over"] = legacy["free_over"]
    else:
        cleaned["shipping_profile"] = None
    return ShopSettings(**cleaned)


def effective_profile(settings: ShopSettings) -> shipping_rule.Profile:
    """The shop's profile, or its two-zone rates as the profile that prices alike."""
    if settings.shipping_profile:
        return shipping_rule.profile_from_dict(settings.shipping_profile)
    return shipping_rule.from_legacy(
        currency=settings.currency,
        domestic_first=settings.ship_domestic_first,
        domestic_additional=settings.ship_domestic_additional,
        international_first=settings.ship_international_first,
        international_additional=settings.ship_international_additional,
        free_over=settings.ship_free_over,
    )


def _checked_profile(
    check: Checker, merged: ShopSettings, currency: str
) -> shipping_rule.Profile | None:
    """The profile sent or kept, checked; None (with the reason in `check`) when it is wrong,
    or when the shop has none yet."""
    if not merged.shipping_profile:
        return None
    try:
        model = ShippingProfile.model_validate(merged.shipping_profile)
    except ValidationError as error:
        for problem in error.errors():
            where = ".".join(str(part) for part in problem["loc"])
            check.errors[f"shipping_profile.{where}"] = problem["msg"]
        return None
    if model.currency != currency:
        check.errors["shipping_profile.currency"] = f"use the shop's currency, {currency}"
    for r, region in enumerate(model.regions):
        codes = [service.code for service in region.services]
        if len(set(codes)) != len(codes):
            check.errors[f"shipping_profile.regions.{r}.services"] = "name each service once"
        if shipping_rule.PICKUP in codes:
            check.errors[f"shipping_profile.regions.{r}.services"] = (
                "“pickup” is collection in person: name the service otherwise"
            )
        for c in region.countries:
            if not is_country(c):
                check.errors[f"shipping_profile.regions.{r}.countries"] = f"{c} is not a country"
        if region.group is None and not region.countries:
            check.errors[f"shipping_profile.regions.{r}"] = "choose a group or some countries"
        for s, service in enumerate(region.services):
            where = f"shipping_profile.regions.{r}.services.{s}"
            if service.first > SHIPPING_MAX or service.additional > SHIPPING_MAX:
                check.errors[where] = "a shipping rate above 1,000 is likely a typo"
            if (
                service.days_min is not None
                and service.days_max is not None
                and service.days_min > service.days_max
            ):
                check.errors[f"{where}.days_max"] = "the latest day comes after the earliest"
    for c in model.excluded:
        if not is_country(c):
            check.errors["shipping_profile.excluded"] = f"{c} is not a country"
    return shipping_rule.profile_from_dict(model.model_dump())


# --- slugs ------------------------------------------------------------------------------


def slugify(name: str) -> str:
    """`Café de Flore Books` → `cafe-de-flore-books`; never empty."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "shop"


def unique_slug(name: str, taken: Iterable[str]) -> str:
    """The name's slug, or the first of `slug-2`, `slug-3`... that nobody has yet."""
    base = slugify(name)
    taken_set = set(taken)
    if base not in taken_set:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken_set:
        suffix += 1
    return f"{base}-{suffix}"
