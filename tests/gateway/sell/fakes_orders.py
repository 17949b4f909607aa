"""Canned answers for the seller portal's order, customer, review, statement, upload, photo,
token and webhook pages, shaped as the services answer them; and the services' CSV downloads
answered from canned bodies.

tests/gateway/fakes.py holds the shared builders; these extend them where the portal reads
more. test_orders_live.py asks the live services the same calls and checks every key here
is in their answers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from requests.structures import CaseInsensitiveDict

import gateway.clients.shops
from tests.gateway.fakes import (
    Call,
    FakeServices,
    a_shop,
    a_shop_order,
    a_shop_part_thread,
    money,
    shop_listings,
)

PLACED = "2026-12-01T10:00:00+00:00"


# --- a shop's orders ------------------------------------------------------------------------


def a_delivery_address(**fields: str) -> dict:
    """Ben's address as a part carries it (contracts.PostalAddress), town as checkout wrote it."""
    return {
        "name": "Ben Buyer",
        "company_name": "",
        "street_address": "Damrak 1",
        "city": "AMSTERDAM",
        "city_area": "",
        "postal_code": "1012 LG",
        "sorting_code": "",
        "country_area": "",
        "country_code": "NL",
    } | fields


def a_first_order() -> dict:
    """What the shops service says of a part's buyer who never ordered here before."""
    return {"returning": False, "earlier_orders": 0, "notes": None, "tags": []}


def an_extra_charge(amount: int = 450, reason: str = "heavy parcel", **fields: Any) -> dict:
    return {
        "id": "extra-1",
        "amount": money(amount),
        "reason": reason,
        "status": "proposed",
        "proposed_by": "Mara",
        "proposed_at": "2026-12-01T11:00:00+00:00",
        "answered_at": None,
    } | fields


def a_seller_order(
    shop_order_id: str = "so-1", *, status: str = "pending", title: str = "Villette", **fields: Any
) -> dict:
    """A shop's part of an order as its members read it (GET /shops/<id>/orders/<id>): what
    fakes.a_shop_order holds, with the buyer's address, the delivery, the customer book's
    word on the buyer, the extra charge and the payment."""
    order = a_shop_order(shop_order_id, status=status)
    order["lines"][0]["title"] = title
    order |= {
        "decided_at": None,
        "decline_reason": None,
        "signed_by": None,
        "shipped_at": None,
        "cancelled_at": None,
        "cancel_reason": None,
        "delivery_address": a_delivery_address(),
        "address_erased": False,
        "delivery": {
            "service": "standard",
            "service_name": "Standard",
            "days_min": None,
            "days_max": None,
            "estimate": None,
            "collection": False,
            "ready_to_collect_at": None,
            "collected": False,
        },
        "customer": a_first_order(),
        "extra_charge": None,
        "extra_charged": money(0),
        "total": money(1000),
        "can_propose_extra_charge": status == "pending",
        "payment": None,
        "ready_to_ship": False,
    }
    return order | fields


def accepted(order: dict, *, ready: bool = True) -> dict:
    """The order once the shop accepted it: ready to ship once the payment is captured."""
    return order | {
        "status": "accepted",
        "decided_at": "2026-12-01T12:00:00+00:00",
        "can_propose_extra_charge": False,
        "payment": "confirmed" if ready else "waiting",
        "ready_to_ship": ready,
    }


def shipped(order: dict, *, note: str, signed_by: str) -> dict:
    return accepted(order) | {
        "status": "shipped",
        "note": note,
        "signed_by": signed_by,
        "shipped_at": "2026-12-01T15:00:00+00:00",
    }


def nothing_after_the_sale(order: dict, *, captured: int = 0) -> dict:
    """The orders service's after-sale view of a part with no refund and no case."""
    items, shipping = order["subtotal"]["amount"], order["shipping"]["amount"]
    return {
        "shop_order_id": order["id"],
        "order_id": order["order_id"],
        "refunds": [],
        "cases": [],
        "money": {
            "captured": money(captured),
            "refunded": money(0),
            "refundable": money(captured),
            "items_paid": money(items),
            "shipping_paid": money(shipping),
            "items_refundable": money(items),
            "shipping_refundable": money(shipping),
        },
        "can_report_problem": False,
    }


def seller_order_answers(fakes: FakeServices, order: dict) -> None:
    """What the seller's order page and its packing slip ask, answered: the order, its
    (empty) thread with the buyer, nothing after the sale, and no cover photos."""
    path = f"/shops/{order['shop_id']}/orders/{order['id']}"
    fakes.on("GET", path, order)
    fakes.on("GET", f"{path}/conversation", a_shop_part_thread(order))
    fakes.on("GET", f"{path}/aftersale", nothing_after_the_sale(order))
    fakes.on("GET", "/covers", {"covers": {}})


def dashboard_answers(fakes: FakeServices, *orders: dict) -> None:
    """What the dashboard asks of shop-1: its orders, its listings (none), its messages."""
    fakes.on("GET", "/shops/shop-1/orders", {"orders": list(orders)})
    fakes.on("GET", "/shops/shop-1/listings", shop_listings())
    fakes.on("GET", "/shops/shop-1/conversations", no_threads(per_page=5))


def no_threads(*, per_page: int = 20) -> dict:
    """The shop's inbox with no conversation yet (GET /shops/<id>/conversations)."""
    return {"shop_id": "shop-1", "conversations": [], "total": 0, "page": 1, "per_page": per_page}


# --- the customer book ----------------------------------------------------------------------


def a_customer(user_id: str = "ben", name: str = "Ben Buyer", **fields: Any) -> dict:
    """One of the shop's buyers, as GET /shops/<id>/customers lists them."""
    return {
        "user_id": user_id,
        "name": name,
        "order_count": 1,
        "total_spent": [money(1000)],
        "first_order_at": PLACED,
        "last_order_at": PLACED,
        "tags": [],
    } | fields


def customers_page(*customers: dict, per_page: int = 25) -> dict:
    return {"customers": list(customers), "total": len(customers), "page": 1, "per_page": per_page}


def a_customer_order(order: dict) -> dict:
    """One order in a customer's history (GET /shops/<id>/customers/<user id>)."""
    return {
        "id": order["id"],
        "order_id": order["order_id"],
        "status": order["status"],
        "placed_at": order["placed_at"],
        "items": sum(line["quantity"] for line in order["lines"]),
        "titles": [line["title"] for line in order["lines"]],
        "subtotal": order["subtotal"],
        "shipping": order["shipping"],
        "total": order["total"],
    }


def a_customer_record(customer: dict, *orders: dict, notes: str = "", **fields: Any) -> dict:
    """One customer with the shop's private notes and their orders, newest first."""
    return (
        customer
        | {"order_count": len(orders) or customer["order_count"], "notes": notes}
        | {"orders": [a_customer_order(order) for order in orders]}
        | fields
    )


# --- reviews --------------------------------------------------------------------------------


def a_shop_review(review_id: str = "review-1", **fields: Any) -> dict:
    """A review as the shop's public list shows it (the reviewer's name, never their id)."""
    return {
        "id": review_id,
        "reviewer_name": "Ben Buyer",
        "rating": 4,
        "text": "Well packed <i>and</i> kind.",
        "posted_at": "2026-12-03T10:00:00+00:00",
        "answer": None,
    } | fields


def an_answer(text: str) -> dict:
    return {"text": text, "answered_at": "2026-12-03T12:00:00+00:00"}


def shop_reviews(*reviews: dict, shop_id: str = "shop-1") -> dict:
    """GET /shops/<id>/reviews: one page of reviews, newest first, and the reputation."""
    count = len(reviews)
    average = sum(review["rating"] for review in reviews) / count if count else None
    return {
        "shop_id": shop_id,
        "reviews": list(reviews),
        "total": count,
        "page": 1,
        "per_page": 20,
        "reputation": {
            "shop_id": shop_id,
            "average": average,
            "count": count,
            "positive_share": 1.0 if count else None,
            "recent_count": count,
            "revision": count,
        },
    }


def a_public_shop(**fields: Any) -> dict:
    """shop-1's public face as the catalog answers (GET /shops/<slug or id>)."""
    return {
        "id": "shop-1",
        "slug": "maras-books",
        "name": "Mara's Books",
        "signature": "Mara",
        "country": "NL",
        "about": "",
        "on_vacation": False,
        "town": None,
        "latitude": None,
        "longitude": None,
        "logo": None,
        "banner": None,
        "reputation": {"average": None, "count": 0, "positive_share": None},
    } | fields


def shop_page_answers(fakes: FakeServices, *, reviews: dict, shop: dict | None = None) -> None:
    """What shop-1's public page asks: the shop, its reviews, its listings, its policies."""
    fakes.on("GET", "/shops/maras-books", shop or a_public_shop(), service="catalog")
    fakes.on("GET", "/shops/shop-1", a_shop(), service="shops")
    fakes.on("GET", "/shops/shop-1/reviews", reviews)
    fakes.on("GET", "/search", search_results())


def a_review_report(review: dict, reason: str, *, shop_id: str = "shop-1") -> dict:
    """An open report of a review, as the operator's list shows it."""
    return {
        "id": "report-1",
        "review": review | {"shop_id": shop_id, "hidden": False, "hidden_reason": None},
        "reporter_side": "shop",
        "reason": reason,
        "reported_at": "2026-12-04T10:00:00+00:00",
        "outcome": None,
        "outcome_reason": None,
    }


# --- money ----------------------------------------------------------------------------------


def a_sales_bucket(sales: int, **fields: Any) -> dict:
    """One currency's sum in the statement: sales less 10% commission."""
    commission = sales // 10
    return {
        "currency": "EUR",
        "sales": sales,
        "refunds": 0,
        "commission": commission,
        "net": sales - commission,
        "parts": 1,
    } | fields


def a_statement(*weeks: dict, shop_id: str = "shop-1") -> dict:
    """GET /shops/<id>/statement: the totals of the weeks given (`a_sales_bucket` with a
    `week`), and the commission on the next sale."""
    totals = [a_sales_bucket(sum(week["sales"] for week in weeks))] if weeks else []
    return {"shop_id": shop_id, "totals": totals, "weeks": list(weeks), "commission_bps": 1000}


# The statement as a spreadsheet: the orders service's header, and one week's row.
STATEMENT_CSV = "week,currency,parts,sales,refunds,commission,net\n2026-W49,EUR,1,2000,0,200,1800\n"


def a_movement(kind: str, amount: int, *, shop_order_id: str = "so-1") -> dict:
    """One line of the shop's ledger (GET /shops/<id>/movements): a sale, a commission..."""
    return {
        "kind": kind,
        "amount": money(amount),
        "order_id": "order-1",
        "shop_order_id": shop_order_id,
        "at": "2026-12-02T10:00:00+00:00",
    }


def movements(*lines: dict) -> dict:
    return {"movements": list(lines)}


# --- inventory files ------------------------------------------------------------------------


def an_upload_job(job_id: str = "job-1", **fields: Any) -> dict:
    """An inventory upload as GET /shops/<id>/uploads/<id> answers: by default finished."""
    return {
        "id": job_id,
        "shop_id": "shop-1",
        "filename": "stock.csv",
        "status": "done",
        "rows_total": 3,
        "rows_done": 3,
        "rows_created": 3,
        "rows_updated": 0,
        "rows_unchanged": 0,
        "rows_rejected": 0,
        "errors": [],
        "unknown_columns": [],
        "failure": None,
        "replace_all": False,
        "to_withdraw": None,
        "awaiting_confirmation": False,
        "rows_withdrawn": 0,
        "created_at": PLACED,
        "started_at": PLACED,
        "finished_at": PLACED,
    } | fields


def a_row_error(line: int, field_name: str, reason: str) -> dict:
    return {"line": line, "field": field_name, "reason": reason}


# --- photos ---------------------------------------------------------------------------------


def an_image(key: str, *, alt: str = "", thumb: tuple[int, int] = (300, 200)) -> dict:
    """A stored photo (contracts.ListingImage): its key names its files in every size."""
    width, height = thumb
    return {
        "key": key,
        "alt": alt,
        "colour": "#3c1414",
        "sizes": {
            "thumb": {"width": width, "height": height},
            "medium": {"width": width * 3, "height": height * 3},
            "large": {"width": width * 5, "height": height * 5},
        },
    }


def an_own_listing(listing_id: str = "listing-1", *, images: list[dict], **fields: Any) -> dict:
    """One of the shop's listings as the shops service reads it (GET /listings/<id>)."""
    return {
        "id": listing_id,
        "shop_id": "shop-1",
        "sku": None,
        "title": "Middlemarch",
        "author": None,
        "isbn": None,
        "condition": "good",
        "photos": [],
        "images": images,
        "price": money(1200),
        "quantity": 2,
        "revision": 1,
        "created_at": PLACED,
        "updated_at": PLACED,
    } | fields


def a_search_hit(listing_id: str = "listing-1", **fields: Any) -> dict:
    """A search result as the catalog answers, with the listing's cover and its shop's logo."""
    return {
        "listing_id": listing_id,
        "work_id": None,
        "shop_id": "shop-1",
        "shop_name": "Mara's Books",
        "shop_country": "NL",
        "title": "Middlemarch",
        "author": "George Eliot",
        "isbn": None,
        "categories": [],
        "condition": "good",
        "price": money(1200),
        "quantity": 2,
        "created_at": PLACED,
        "cover": None,
        "shop_rating": None,
        "shop_reviews": 0,
        "offers_count": 1,
        "landed_price": None,
        "shipping_service": None,
        "distance_km": None,
        "photo": None,
        "highlight": {"title": None, "author": None},
        "shop_logo": None,
    } | fields


def search_results(*hits: dict) -> dict:
    return {
        "query": "",
        "total": len(hits),
        "page": 1,
        "per_page": 20,
        "sort": "relevance",
        "hits": list(hits),
        "facets": {},
        "suggestions": [],
    }


def a_cart(listing_id: str = "listing-1", *, title: str = "Middlemarch") -> dict:
    """A cart of one copy from shop-1, shipped to the Netherlands (GET /cart)."""
    line = {
        "listing_id": listing_id,
        "shop_id": "shop-1",
        "shop_name": "Mara's Books",
        "title": title,
        "quantity": 1,
        "unit_price": money(1200),
        "line_total": money(1200),
        "added_at": PLACED,
    }
    shop = {
        "shop_id": "shop-1",
        "shop_name": "Mara's Books",
        "subtotal": money(1200),
        "shipping": money(450),
        "items": 1,
        "delivery_options": [],
        "delivery_choice": None,
        "delivery_problem": None,
    }
    return {"lines": [line], "shops": [shop], "country": "NL", "total": money(1650)}


def a_work(work_id: str = "work-1") -> dict:
    """A book as the catalog knows it across shops (GET /works/<id>)."""
    return {
        "work_id": work_id,
        "title": "Middlemarch",
        "author": "George Eliot",
        "isbn": "9780141439549",
        "publisher": None,
        "year": None,
        "offers_count": 1,
        "lowest_price": money(1200),
    }


def an_offer(listing_id: str = "listing-1", **fields: Any) -> dict:
    """One shop's copy of a work (GET /works/<id>/offers), with its cover and shop logo."""
    return {
        "listing_id": listing_id,
        "shop_id": "shop-1",
        "shop_name": "Mara's Books",
        "shop_country": "NL",
        "condition": "good",
        "price": money(1200),
        "shipping": money(450),
        "ships_domestic": True,
        "shipping_service": "Standard",
        "delivery_estimate": None,
        "total": money(1650),
        "quantity": 2,
        "cover": None,
        "shop_rating": None,
        "shop_reviews": 0,
        "shop_logo": None,
    } | fields


# --- the shop's own software ----------------------------------------------------------------


def an_api_token(token_id: str = "token-1", **fields: Any) -> dict:
    return {
        "id": token_id,
        "name": "HomeBase sync",
        "scopes": ["inventory:read", "orders:read"],
        "hint": "sft_ab12",
        "created_at": PLACED,
        "last_used_at": None,
        "expires_at": "2026-12-31T10:00:00+00:00",
        "revoked_at": None,
    } | fields


def a_webhook_endpoint(endpoint_id: str = "endpoint-1", **fields: Any) -> dict:
    return {
        "id": endpoint_id,
        "url": "https://93.184.215.14/hooks",
        "events": ["order.placed", "message.received"],
        "secret": "whsec_c2VjcmV0LWZvci10ZXN0cw",
        "created_at": PLACED,
        "failing_since": None,
        "disabled_at": None,
        "disabled_reason": None,
    } | fields


def a_member(user_id: str, role: str = "staff", *, shop_id: str = "shop-1") -> dict:
    return {"shop_id": shop_id, "user_id": user_id, "role": role}


# --- a shopper's question, on the shop's side ----------------------------------------------


def a_question_thread(thread_id: str = "thread-1", *, text: str) -> dict:
    """A shopper's question about a listing, as the shop reads it (one message, unread)."""
    message = {
        "author_side": "shopper",
        "author_name": "Ben Buyer",
        "text": text,
        "created_at": PLACED,
    }
    return {
        "id": thread_id,
        "topic": "listing",
        "shop_id": "shop-1",
        "shop_name": "Mara's Books",
        "shopper_name": "Ben Buyer",
        "order_id": None,
        "shop_order_id": None,
        "listing_id": "listing-1",
        "subject": "Orlando",
        "created_at": PLACED,
        "last_message_at": PLACED,
        "unread": 1,
        "last_message": message,
        "messages": [message | {"id": 1}],
    }


# --- downloads ------------------------------------------------------------------------------


@dataclass
class Downloads:
    """The CSV downloads the gateway passes through (exports, the statement), answered from
    canned bodies. A download is read a chunk at a time, not through the clients' `_call`,
    so FakeServices cannot answer it; the call is recorded among `fakes.calls` all the same.
    What is not answered is a service that is down."""

    fakes: FakeServices
    services: dict[str, str]  # base URL -> service name
    bodies: dict[str, tuple[int, bytes]] = field(default_factory=dict)

    def on(self, path: str, body: str, *, status: int = 200) -> None:
        self.bodies[path] = (status, body.encode())

    def get(self, url: str, **_options: Any) -> requests.Response:
        parts = urlsplit(url)
        service = self.services.get(f"{parts.scheme}://{parts.netloc}", "unknown")
        self.fakes.calls.append(Call(service, "GET", parts.path, False))
        if parts.path not in self.bodies:
            raise requests.ConnectionError(f"no fake download for {parts.path}")
        status, body = self.bodies[parts.path]
        response = requests.Response()
        response.status_code = status
        response.raw = io.BytesIO(body)
        response.headers = CaseInsensitiveDict(
            {"Content-Type": "text/csv" if status < 400 else "application/json"}
        )
        response.url = url
        return response


def fake_downloads(app: Flask, fakes: FakeServices, monkeypatch: pytest.MonkeyPatch) -> Downloads:
    """Answer `app`'s downloads from canned bodies for the rest of the test."""
    settings = app.extensions["runtime"].settings
    services = {
        settings.shops_url: "shops",
        settings.catalog_url: "catalog",
        settings.orders_url: "orders",
    }
    fake = Downloads(fakes, {url.rstrip("/"): name for url, name in services.items()})
    monkeypatch.setattr(gateway.clients.shops, "_http", lambda: fake)
    return fake
