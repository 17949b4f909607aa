"""Canned answers of the shops service for the pages that run a shop: its settings and
shipping profile, the people who work in it, and its inventory; and the refusals those pages
show. Shaped as the service answers them: test_shop_admin_live.py asks the live service the
same calls and compares.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from flask_login import current_user

from gateway.clients import ServiceError
from services.common import shipping
from tests.gateway.fakes import a_shop, money

# --- the shop ---------------------------------------------------------------------------------


def a_shop_profile(
    shop_id: str = "shop-1", *, shipping_profile: dict | None = None, **overrides: Any
) -> dict:
    """A shop as GET /shops/<id> (and PATCH /shops/<id>, POST /shops) answer it: the shop of
    /shops/mine without the suspension, which only its members' list carries. A
    `shipping_profile` comes with the two-zone figures the service shows beside it."""
    shop = {key: value for key, value in a_shop(shop_id).items() if key != "suspension"}
    if shipping_profile is not None:
        profile = shipping.profile_from_dict(shipping_profile)
        shop["shipping"] = shipping.rates_of_profile(profile)
    return shop | overrides


def a_shipping_service(
    code: str, first: int, additional: int = 0, *, days: tuple = (None, None), name: str = ""
) -> dict:
    """One service of a shipping region (prices in cents)."""
    return {
        "code": code,
        "name": name or code.capitalize(),
        "first": first,
        "additional": additional,
        "days_min": days[0],
        "days_max": days[1],
    }


def a_region(
    group: str | None,
    *services: dict,
    countries: tuple[str, ...] = (),
    free_over: int | None = None,
    name: str = "",
) -> dict:
    """A region of a shipping profile: a group ("home", "eu", "world"...) or, with None,
    the countries named."""
    return {
        "name": name or shipping.GROUP_NAMES.get(group or "", ", ".join(countries)),
        "group": group,
        "countries": sorted(countries),
        "free_over": free_over,
        "services": list(services),
    }


def a_shipping_profile(
    *regions: dict, excluded: tuple[str, ...] = (), pickup: bool = False
) -> dict:
    return {
        "currency": "EUR",
        "regions": list(regions),
        "excluded": sorted(excluded),
        "pickup": pickup,
    }


# --- its people -------------------------------------------------------------------------------


def a_member(user_id: str, role: str = "staff", *, shop_id: str = "shop-1") -> dict:
    return {"shop_id": shop_id, "user_id": user_id, "role": role}


def members_of(*members: dict) -> dict:
    """GET /shops/<id>/members."""
    return {"members": list(members)}


# --- its inventory ----------------------------------------------------------------------------


def an_own_listing(title: str = "Middlemarch", *, shop_id: str = "shop-1", **fields: Any) -> dict:
    """A listing as the shop's members read and write it (GET /shops/<id>/listings, the
    answer to POST and PATCH)."""
    listing = {
        "id": f"listing-{title.lower().replace(' ', '-')}",
        "shop_id": shop_id,
        "sku": "L-0001",
        "title": title,
        "author": None,
        "isbn": None,
        "publisher": None,
        "year": None,
        "binding": None,
        "condition": "Good",
        "condition_notes": "",
        "description": "",
        "categories": [],
        "photos": [],
        "images": [],
        "price": money(1200),
        "quantity": 2,
        "revision": 1,
        "created_at": "2026-12-01T10:00:00+00:00",
        "updated_at": "2026-12-01T10:00:00+00:00",
    }
    return listing | fields


def a_public_listing(listing: dict, shop: dict | None = None) -> dict:
    """GET /listings/<id> of the shops service: the listing with its shop's trade terms."""
    shop = shop or a_shop_profile(listing["shop_id"])
    summary = ("id", "name", "slug", "signature", "country", "currency", "shipping")
    terms = {key: shop[key] for key in summary} | {
        "on_vacation": shop["on_vacation"],
        "suspended": shop["suspended"],
    }
    return listing | {"shop": terms, "purchasable": listing["quantity"] > 0}


def inventory(*listings: dict, total: int | None = None, page: int = 1, per_page: int = 25) -> dict:
    """One page of GET /shops/<id>/listings; `total` counts every page's listings."""
    return {
        "listings": list(listings),
        "total": len(listings) if total is None else total,
        "page": page,
        "per_page": per_page,
    }


# --- refusals, as the service words them ------------------------------------------------------


def refused_fields(fields: dict[str, str]) -> ServiceError:
    """A 422 naming what is wrong with each field."""
    summary = "; ".join(f"{name}: {why}" for name, why in fields.items())
    return ServiceError(422, f"please fix: {summary}", fields)


def isbn_refused() -> ServiceError:
    return refused_fields({"isbn": "an ISBN has 10 or 13 digits (hyphens and spaces are fine)"})


def photos_refused() -> ServiceError:
    return refused_fields({"photos": "each photo must be an http:// or https:// address"})


def bulk_quantity_refused(listing: dict, quantity: int) -> ServiceError:
    """A bulk change that would leave `listing` with `quantity` copies (below zero)."""
    why = f"{listing['title']}: the quantity would become {quantity}"
    return refused_fields({f"quantity.{listing['id']}": why})


def rate_refused(rate: str = "domestic_first") -> ServiceError:
    """The settings' two-zone `rate` over the service's cap."""
    why = "a shipping rate must be between 0 and 100000"
    return refused_fields({f"shipping.{rate}.amount": why})


def profile_rate_refused(region: int, service: int) -> ServiceError:
    """A shipping profile's service priced over the service's cap."""
    where = f"shipping_profile.regions.{region}.services.{service}"
    return refused_fields({where: "a shipping rate above 1,000 is likely a typo"})


def owner_only() -> ServiceError:
    """Staff asking to change the shop's settings or its people."""
    return ServiceError(403, "only the shop's owner can change its settings and members")


def last_owner() -> ServiceError:
    return ServiceError(409, "the shop's last owner cannot be removed")


# --- who asks -----------------------------------------------------------------------------------


def for_each_person(answers: dict[str, Any]) -> Callable[[dict], Any]:
    """An answer per signed-in person (by e-mail address), as the services answer each
    person's token apart: say, the shops one person works in and another does not."""

    def answer(_options: dict) -> Any:
        found = answers[current_user.email]
        if isinstance(found, Exception):
            raise found
        return copy.deepcopy(found)

    return answer
