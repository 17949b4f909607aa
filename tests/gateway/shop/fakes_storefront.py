"""Canned answers for the shopper's pages (cart, checkout, orders, the address book, search,
listings, the comparison of offers, a shop's public page), shaped as the orders and catalog
services answer them, for FakeServices (tests/gateway/fakes.py).

tests/gateway/shop/test_storefront_live.py asks the live services the same calls and checks
that every key of these answers (and the kind of its value) is in theirs.

Two shops recur: Mara's Books ("shop-mara") and Kofi's Corner ("shop-kofi"), both in the
Netherlands, shipping for €3.00 at home and €9.00 abroad.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from services.common.postal import address_lines
from tests.gateway.fakes import UNREAD_NONE, FakeServices, money

PLACED_AT = "2026-12-01T10:00:00+00:00"
LATER = "2026-12-01T11:00:00+00:00"

MARA = {"shop_id": "shop-mara", "shop_name": "Mara's Books"}
KOFI = {"shop_id": "shop-kofi", "shop_name": "Kofi's Corner"}
DOMESTIC, ABROAD = 300, 900  # both shops' first-item rates, in cents


def shopper_answers(fakes: FakeServices) -> None:
    """What any page asks for a signed-in shopper with no shop: the menus' counts, their
    orders (for the country they ship to), and the home page's search (whose page gives a
    form's CSRF token)."""
    fakes.on("GET", "/shops/mine", {"shops": []})
    fakes.on("GET", "/conversations/unread", UNREAD_NONE)
    fakes.on("GET", "/wants/matches/unread", {"unread": 0})
    fakes.on("GET", "/orders", {"orders": []})
    fakes.on("GET", "/search", search_results())
    fakes.on("GET", "/covers", {"covers": {}})


# --- the cart (orders service) --------------------------------------------------------------


def a_cart_line(
    listing_id: str, title: str, price: int, *, shop: Mapping[str, str] = MARA, quantity: int = 1
) -> dict:
    return {
        "listing_id": listing_id,
        "title": title,
        "quantity": quantity,
        "unit_price": money(price),
        "line_total": money(price * quantity),
        "shop_id": shop["shop_id"],
        "shop_name": shop["shop_name"],
        "added_at": PLACED_AT,
    }


NORTH_AND_SOUTH = a_cart_line("listing-north", "North and South", 1450, shop=MARA)
CRANFORD = a_cart_line("listing-cranford", "Cranford", 700, shop=KOFI)


def a_cart(
    *lines: dict, country: str | None = "NL", shipping: Mapping[str, int | None] | None = None
) -> dict:
    """The cart as GET /cart answers it: its lines, each shop's part with its shipping to
    `country` (cents by shop id; the domestic rate unless said otherwise, None while no
    country is known) and the total of what is known."""
    shipping = shipping or {}
    shops: dict[str, dict] = {}
    for line in lines:
        shop = shops.setdefault(
            line["shop_id"],
            {"shop_id": line["shop_id"], "shop_name": line["shop_name"], "items": 0, "sum": 0},
        )
        shop["items"] += line["quantity"]
        shop["sum"] += line["line_total"]["amount"]
    parts = []
    for shop_id, shop in shops.items():
        rate = shipping.get(shop_id, DOMESTIC) if country else None
        parts.append(
            {
                "shop_id": shop_id,
                "shop_name": shop["shop_name"],
                "items": shop["items"],
                "subtotal": money(shop["sum"]),
                "shipping": None if rate is None else money(rate),
                "delivery_options": [] if rate is None else [_standard(rate)],
                "delivery_choice": None,
                "delivery_problem": None,
            }
        )
    total = sum(line["line_total"]["amount"] for line in lines) + sum(
        part["shipping"]["amount"] for part in parts if part["shipping"]
    )
    return {
        "country": country,
        "lines": list(lines),
        "shops": parts,
        "total": money(total),
    }


def _standard(amount: int) -> dict:
    return {
        "service": "standard",
        "service_name": "Standard",
        "amount": amount,
        "currency": "EUR",
        "days_min": None,
        "days_max": None,
        "estimate": None,
        "free": False,
    }


def cart_by_country(*lines: dict) -> Callable[[dict], dict]:
    """An answer to GET /cart that prices both shops' shipping for the country asked, as the
    service does: the domestic rate to the Netherlands, the international one elsewhere."""

    def answer(options: dict) -> dict:
        country = (options.get("params") or {}).get("country")
        rate = DOMESTIC if country == "NL" else ABROAD
        return a_cart(*lines, country=country, shipping={line["shop_id"]: rate for line in lines})

    return answer


# --- the address book (orders service) ------------------------------------------------------


def a_postal_address(
    street: str = "Damrak 1",
    postal_code: str = "1012 LG",
    *,
    name: str = "Ben Buyer",
    city: str = "AMSTERDAM",
    country: str = "NL",
) -> dict:
    """An address as the service keeps it (normalized: the city in capitals)."""
    return {
        "name": name,
        "company_name": "",
        "street_address": street,
        "city": city,
        "city_area": "",
        "postal_code": postal_code,
        "sorting_code": "",
        "country_area": "",
        "country_code": country,
    }


def a_saved_address(
    address_id: str = "address-home", *, default: bool = True, **address: str
) -> dict:
    postal = a_postal_address(**address)
    return {
        "id": address_id,
        "address": postal,
        "lines": address_lines(postal),
        "is_default": default,
        "updated_at": PLACED_AT,
    }


# --- orders (orders service, the buyer's side) ------------------------------------------------


def an_order_line(listing_id: str, title: str, price: int, quantity: int = 1) -> dict:
    return {
        "listing_id": listing_id,
        "title": title,
        "quantity": quantity,
        "unit_price": money(price),
    }


def an_extra_charge(amount: int = 450, reason: str = "heavy parcel", status: str = "open") -> dict:
    return {
        "id": "extra-1",
        "amount": money(amount),
        "reason": reason,
        "proposed_by": "Mara",
        "proposed_at": PLACED_AT,
        "answer_by": "2026-12-04T10:00:00+00:00",
        "status": status,
        "answered_at": None if status == "open" else LATER,
    }


# The part's statuses after each of which its money is taken, or released.
CAPTURED = ("accepted", "shipped", "delivered")


def a_part(
    shop_order_id: str,
    *lines: dict,
    shop: Mapping[str, str] = MARA,
    shipping: int = DOMESTIC,
    status: str = "placed",
    extra_charge: dict | None = None,
    cancel_reason: str | None = None,
    note: str | None = None,
) -> dict:
    """One shop's part of an order, with what follows from its status: what the buyer may do,
    the money held, taken or released, and the timeline."""
    lines = lines or (an_order_line("listing-north", "North and South", 1450),)
    subtotal = sum(line["unit_price"]["amount"] * line["quantity"] for line in lines)
    charge = extra_charge or {}
    extra = charge["amount"]["amount"] if charge.get("status") == "accepted" else 0
    total = subtotal + shipping + extra
    cancelled_by_buyer = status == "cancelled" and charge.get("status") != "refused"
    timeline: list[dict] = [{"status": "placed", "at": PLACED_AT}]
    if charge:
        proposed = {"status": "extra_charge_proposed", "at": PLACED_AT}
        timeline.append(proposed | {"amount": charge["amount"], "reason": charge["reason"]})
        if charge["status"] != "open":
            answered = {"status": f"extra_charge_{charge['status']}", "at": LATER}
            timeline.append(answered | {"amount": charge["amount"]})
    if cancelled_by_buyer:
        asked = "You asked the shop to cancel this part."
        timeline.append({"status": "cancel_requested", "at": LATER, "note": asked})
    if status != "placed":
        timeline.append({"status": status, "at": LATER})
    return {
        "shop_order_id": shop_order_id,
        "shop_id": shop["shop_id"],
        "shop_name": shop["shop_name"],
        "status": status,
        "lines": list(lines),
        "subtotal": money(subtotal),
        "shipping": money(shipping),
        "delivery": {
            "service": "standard",
            "service_name": "Standard",
            "days_min": None,
            "days_max": None,
            "estimate": None,
            "collection": False,
        },
        "extra": money(extra),
        "total": money(total),
        "decline_reason": None,
        "note": note,
        "signed_by": f"Mara, {shop['shop_name']}" if note else None,
        "carrier": None,
        "tracking_number": None,
        "payments": {
            "authorized": money(total),
            "captured": money(total if status in CAPTURED else 0),
            "voided": money(total if status == "cancelled" else 0),
            "refunded": money(0),
        },
        "payment_error": None,
        "extra_charges": [extra_charge] if extra_charge else [],
        "cancellation_requested": cancelled_by_buyer,
        "cancel_reason": cancel_reason,
        "can_cancel": status == "placed",
        "can_mark_received": status == "shipped",
        "can_answer_extra_charge": status == "placed" and charge.get("status") == "open",
        "timeline": timeline,
    }


def a_placed_order(
    order_id: str = "order-1", *parts: dict, address: dict | None = None, card: str = "4242"
) -> dict:
    """An order as GET /orders/<id> answers its buyer (by default one part from Mara's)."""
    parts = parts or (a_part("part-mara"),)
    postal = address or a_postal_address()
    total = sum(part["total"]["amount"] for part in parts)
    return {
        "id": order_id,
        "placed_at": PLACED_AT,
        "total": money(total),
        "shipping_name": postal["name"],
        "shipping_address": "\n".join(address_lines(postal)[1:-1]),
        "country": postal["country_code"],
        "delivery_address": postal,
        "address_erased": False,
        "payment": {"card_last4": card, "authorized": money(total)},
        "parts": list(parts),
    }


def a_buyers_review(part: dict, *, rating: int = 5, text: str = "Well wrapped.") -> dict:
    """The buyer's own review of a part (POST .../review, GET /orders/<id>/reviews)."""
    return {
        "id": f"review-{part['shop_order_id']}",
        "reviewer_name": "Ben Buyer",
        "rating": rating,
        "text": text,
        "posted_at": LATER,
        "answer": None,
        "shop_order_id": part["shop_order_id"],
        "shop_id": part["shop_id"],
    }


# --- the catalog: search, works and their offers, a shop's public face ------------------------


def a_hit(
    listing_id: str,
    title: str,
    *,
    shop: Mapping[str, str] = MARA,
    price: int = 1000,
    landed_price: int | None = None,
    **fields: Any,
) -> dict:
    """A search hit; `fields` overrides any other (author, condition, highlight, work_id,
    shop_rating, shop_reviews...)."""
    hit = {
        "listing_id": listing_id,
        "work_id": f"work-{listing_id}",
        "offers_count": 1,
        "shop_id": shop["shop_id"],
        "shop_name": shop["shop_name"],
        "shop_country": "NL",
        "shop_town": None,
        "shop_logo": None,
        "shop_rating": None,
        "shop_reviews": 0,
        "title": title,
        "author": None,
        "isbn": None,
        "publisher": None,
        "year": None,
        "binding": None,
        "categories": [],
        "condition": "very_good",
        "price": money(price),
        "quantity": 1,
        "photo": None,
        "cover": None,
        "landed_price": None if landed_price is None else money(landed_price),
        "shipping_service": None if landed_price is None else "Standard",
        "distance_km": None,
        "created_at": PLACED_AT,
        "highlight": {"title": title, "author": fields.get("author") or ""},
    }
    return hit | fields


def search_results(
    *hits: dict,
    query: str = "",
    facets: Mapping[str, Mapping[str, int]] | None = None,
    suggestions: tuple[str, ...] = (),
) -> dict:
    every = {"binding": {}, "category": {}, "condition": {}, "country": {}, "shop": {}}
    return {
        "query": query,
        "total": len(hits),
        "page": 1,
        "per_page": 20,
        "sort": "relevance",
        "hits": list(hits),
        "facets": every | dict(facets or {}),
        "suggestions": list(suggestions),
    }


ISBN = "9780441478125"
WORK_ID = f"isbn-{ISBN}"


def a_work(work_id: str = WORK_ID, *, offers_count: int = 3, lowest_price: int = 500) -> dict:
    return {
        "work_id": work_id,
        "title": "The Left Hand of Darkness",
        "author": "Ursula K. Le Guin",
        "isbn": ISBN,
        "publisher": None,
        "year": None,
        "offers_count": offers_count,
        "lowest_price": money(lowest_price),
    }


def an_offer(
    listing_id: str,
    shop_name: str,
    *,
    price: int,
    shipping: int | None,
    shop_country: str = "NL",
    condition: str = "very_good",
    **fields: Any,
) -> dict:
    """One shop's copy of a work; with `shipping` to the country asked, its total."""
    offer = {
        "listing_id": listing_id,
        "shop_id": f"shop-{listing_id}",
        "shop_name": shop_name,
        "shop_country": shop_country,
        "shop_logo": None,
        "shop_rating": None,
        "shop_reviews": 0,
        "condition": condition,
        "price": money(price),
        "shipping": None if shipping is None else money(shipping),
        "shipping_service": None if shipping is None else "Standard",
        "delivery_estimate": None,
        "ships_domestic": shop_country == "NL",
        "total": None if shipping is None else money(price + shipping),
        "quantity": 1,
        "cover": None,
    }
    return offer | fields


def offers_of(
    *offers: dict, work_id: str = WORK_ID, country: str | None = None, condition: str | None = None
) -> dict:
    return {
        "work_id": work_id,
        "country": country,
        "condition_at_least": condition,
        "offers": list(offers),
    }


def a_reputation(shop_id: str, *ratings: int) -> dict:
    """A shop's reputation as the orders service sums it up (with its reviews)."""
    count = len(ratings)
    return {
        "shop_id": shop_id,
        "average": round(sum(ratings) / count, 2) if count else 0.0,
        "count": count,
        "positive_share": sum(1 for r in ratings if r >= 4) / count if count else 0.0,
        "recent_count": count,
        "revision": count,
    }


def a_shop_face(
    shop_id: str = "shop-hogarth",
    *,
    name: str = "Hogarth Books",
    slug: str = "hogarth-books",
    about: str = "",
    ratings: tuple[int, ...] = (),
) -> dict:
    """A shop as the catalog shows it to everyone (GET /shops/<slug or id>)."""
    reputation = a_reputation(shop_id, *ratings)
    return {
        "id": shop_id,
        "slug": slug,
        "name": name,
        "signature": f"Virginia, {name}",
        "country": "NL",
        "town": None,
        "latitude": None,
        "longitude": None,
        "about": about,
        "logo": None,
        "banner": None,
        "on_vacation": False,
        "reputation": {key: reputation[key] for key in ("average", "count", "positive_share")},
    }


def a_public_review(review_id: str, *, rating: int, text: str, name: str = "Ben Buyer") -> dict:
    """A review as others read it: nothing of the buyer but their display name."""
    return {
        "id": review_id,
        "reviewer_name": name,
        "rating": rating,
        "text": text,
        "posted_at": LATER,
        "answer": None,
    }


def shop_reviews(shop_id: str, *reviews: dict) -> dict:
    """GET /shops/<id>/reviews: a page of the shop's reviews and its reputation."""
    return {
        "shop_id": shop_id,
        "reviews": list(reviews),
        "total": len(reviews),
        "page": 1,
        "per_page": 10,
        "reputation": a_reputation(shop_id, *(review["rating"] for review in reviews)),
    }
