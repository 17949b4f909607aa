"""A shop's profile and settings: what a seller may set, and how a shop's name becomes a slug."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from services.shops.domain.checks import Checker

SHOP_NAME_MAX = 100
SIGNATURE_MAX = 200
ABOUT_MAX = 2000
POLICY_MAX = 5000
SLUG_MAX = 60
DEFAULT_CURRENCY = "EUR"
# Shipping a parcel for more than this is far likelier a typo than a price.
SHIPPING_MAX = 100_000
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
    order_handling: str = OrderHandling.MANUAL
    response_hours: int = RESPONSE_HOURS_DEFAULT
    on_vacation: bool = False

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
    check.done()
    return ShopSettings(**cleaned)


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
