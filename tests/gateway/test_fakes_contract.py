"""The fakes of tests/gateway/fakes.py against the live services: every call a page test
answers from a canned body is asked of the real service here, and every key of the canned
body (with the type of its value) must be in the live answer. A fake that drifts from its
service fails here rather than passing page tests that production would fail.

Against the live stack (the real services on threads, RabbitMQ, the databases).
"""

from __future__ import annotations

from typing import Any

import requests
from sqlalchemy import select

from gateway.clients import ServiceClient
from gateway.db import User
from services.common.auth import Principal, issue_token
from tests import support
from tests.gateway.fakes import (
    FakeServices,
    a_listing,
    a_review,
    a_shop,
    a_shop_listing,
    a_shop_order,
    a_shop_part_thread,
    an_order,
    order_page_answers,
    part_threads,
    shop_listings,
)
from tests.gateway.shop.factories import (
    a_seller,
    a_shopper,
    add_to_cart,
    check_out,
    listing_ids,
    wait_until_found,
)


def _service_of(path: str) -> str:
    if path.startswith("/shops/mine"):
        return "shops"
    if path.startswith(("/covers", "/wants", "/listings/")):
        return "catalog"
    return "orders"


def missing_from(fake: Any, live: Any, where: str = "") -> list[str]:
    """What the canned body has that the live one lacks (keys, or a value's kind)."""
    if fake is None or live is None:
        return []
    if isinstance(fake, dict):
        if not isinstance(live, dict):
            return [f"{where or 'the answer'} is not an object"]
        gaps = [f"{where}.{key}" for key in fake if key not in live]
        for key in fake.keys() & live.keys():
            gaps += missing_from(fake[key], live[key], f"{where}.{key}")
        return gaps
    if isinstance(fake, list):
        if not isinstance(live, list):
            return [f"{where} is not a list"]
        return missing_from(fake[0], live[0], f"{where}[0]") if fake and live else []
    if isinstance(fake, bool) != isinstance(live, bool) or not isinstance(live, type(fake)):
        return [f"{where} is {type(live).__name__}, the fake says {type(fake).__name__}"]
    return []


def test_the_order_page_fakes_answer_as_the_live_services_do(live_gateway, services):
    seller = a_seller(services, "Mara's Books")
    seller.list(title="Cranford", isbn=None, price={"amount": 700, "currency": "EUR"})
    shopper = a_shopper(live_gateway)
    [listing_id] = listing_ids(wait_until_found(shopper, 1, q=""))
    assert add_to_cart(shopper, listing_id).status_code == 302
    placed = check_out(shopper)
    assert placed.status_code == 302
    order_id = placed.headers["Location"].rsplit("/", 1)[-1]
    with live_gateway.extensions["runtime"].session_factory() as session:
        user = session.scalars(select(User).where(User.email == "ben@example.org")).one()
    token = issue_token(Principal(user.id, user.display_name, frozenset()), secret=support.SECRET)
    urls = {
        "shops": services.shops_url,
        "catalog": services.catalog_url,
        "orders": services.orders_url,
    }
    live = {name: ServiceClient(url, token=token) for name, url in urls.items()}
    order = live["orders"]._call("GET", f"/orders/{order_id}")
    part = order["parts"][0]
    # A thread with a message, and a review, so that their shapes are compared too.
    [shop_part] = support.wait_for(seller.orders)
    assert shop_part["id"] == part["shop_order_id"]
    assert seller.answer(shop_part["id"], "accept").status_code == 200
    assert seller.answer(shop_part["id"], "ship", note="Enjoy it").status_code == 200
    wrote = requests.post(
        f"{services.orders_url}/shops/{seller.shop['id']}/orders/{part['shop_order_id']}"
        "/conversation/messages",
        json={"text": "Wrapped."},
        headers=seller.headers(),
        timeout=5,
    )
    assert wrote.status_code == 201, wrote.text
    support.wait_for(
        lambda: (
            live["orders"]._call("GET", f"/orders/{order_id}")["parts"][0]["status"] == "shipped"
        )
    )
    review = {"rating": 5, "text": "Well wrapped."}
    path = f"/orders/{order_id}/parts/{part['shop_order_id']}/review"
    assert live["orders"]._call("POST", path, json=review)

    fake_order = an_order(order_id)
    fakes = FakeServices()
    order_page_answers(fakes, fake_order)
    written = {fake_order["parts"][0]["shop_order_id"]: "Wrapped."}
    fakes.on("GET", f"/orders/{order_id}/conversations", part_threads(fake_order, written=written))
    fakes.on(
        "GET",
        f"/orders/{order_id}/reviews",
        {"order_id": order_id, "reviews": [a_review(fake_order["parts"][0])]},
    )

    fakes.on("GET", f"/listings/{listing_id}", a_listing(listing_id, shop_id=seller.shop["id"]))

    gaps = {}
    for (service, method, path), canned in fakes.answers.items():
        params = {"ids": listing_id} if path == "/covers" else None
        answer = live[service or _service_of(path)]._call(method, path, params=params)
        if missing_from(canned, answer):
            gaps[f"{method} {path}"] = missing_from(canned, answer)

    # The seller's side of the same order, as the seller's portal asks it.
    shop_id = seller.shop["id"]
    shop_order = a_shop_order(shop_part["id"], shop_id=shop_id)
    canned_for_seller = {
        "/shops/mine": {"shops": [a_shop(shop_id)]},
        f"/shops/{shop_id}/orders": {"orders": [shop_order]},
        f"/shops/{shop_id}/listings": shop_listings(a_shop_listing("Cranford", 1, shop_id=shop_id)),
        f"/shops/{shop_id}/orders/{shop_part['id']}": shop_order,
        f"/shops/{shop_id}/orders/{shop_part['id']}/conversation": a_shop_part_thread(shop_order),
    }
    seller_token = issue_token(
        Principal(seller.user_id, "Seller", frozenset({shop_id})), secret=support.SECRET
    )
    for path, canned in canned_for_seller.items():
        service = "orders" if path.endswith("/conversation") else "shops"
        answer = ServiceClient(urls[service], token=seller_token)._call("GET", path)
        if missing_from(canned, answer):
            gaps[f"GET {path}"] = missing_from(canned, answer)

    assert gaps == {}
