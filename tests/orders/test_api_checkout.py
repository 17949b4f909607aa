"""Checkout over HTTP, on a real database: one transaction, or nothing at all."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from services.orders import db
from tests import support
from tests.orders.factories import eur, listing, postal_address

pytestmark = pytest.mark.integration


def test_checkout_creates_order_parts_one_outbox_event_per_shop_and_one_confirmation(orders):
    a1 = orders.listings.add(listing(shop_id="a", price=eur(1000)))
    a2 = orders.listings.add(listing(shop_id="a", price=eur(250)))
    b1 = orders.listings.add(listing(shop_id="b", price=eur(700)))
    for info in (a1, a2, b1):
        orders.add_to_cart("ada", info, quantity=2 if info is a1 else 1)

    response = orders.checkout("ada")

    assert response.status_code == 201
    order = response.get_json()
    assert order["total"] == {"amount": 2950, "currency": "EUR"}
    assert order["country"] == "GB"
    assert [part["shop_id"] for part in order["parts"]] == ["a", "b"]
    assert [part["subtotal"]["amount"] for part in order["parts"]] == [2250, 700]
    assert all(part["status"] == "placed" for part in order["parts"])
    assert all([e["status"] for e in part["timeline"]] == ["placed"] for part in order["parts"])

    outbox = orders.outbox()
    assert sorted(row.routing_key for row in outbox) == [
        "order.confirmed",
        "order.placed.a",
        "order.placed.b",
    ]
    placed = {row.routing_key: json.loads(row.body)["payload"] for row in outbox}
    versions = {row.routing_key: json.loads(row.body)["version"] for row in outbox}
    assert versions == {"order.placed.a": 2, "order.placed.b": 2, "order.confirmed": 1}
    address = {
        "name": "Ada Lovelace",
        "company_name": "",
        "street_address": "1 Analytical Row",
        "city": "LONDON",
        "city_area": "",
        "postal_code": "SW1A 2AA",
        "sorting_code": "",
        "country_area": "",
        "country_code": "GB",
    }
    # Each part carries its own copy of the checked address.
    assert placed["order.placed.a"]["delivery_address"] == address
    assert placed["order.placed.b"]["delivery_address"] == address
    confirmed = placed["order.confirmed"]
    assert confirmed["order_id"] == order["id"]
    assert confirmed["total"] == {"amount": 2950, "currency": "EUR"}
    assert [part["shop_id"] for part in confirmed["parts"]] == ["a", "b"]
    assert "delivery_address" not in confirmed
    assert order["delivery_address"] == address
    part_a = order["parts"][0]
    assert placed["order.placed.a"]["shop_order_id"] == part_a["shop_order_id"]
    assert placed["order.placed.a"]["order_id"] == order["id"]
    assert placed["order.placed.a"]["buyer"] == {"user_id": "ada", "name": "Test Person"}
    assert [line["listing_id"] for line in placed["order.placed.a"]["lines"]] == [a1.id, a2.id]
    assert orders.count(db.CartLine) == 0


def test_checkout_answers_with_the_order_exactly_as_it_reads_back(orders):
    # The 201 body is built from the rows just written, not read back: it must not differ.
    a1 = orders.listings.add(listing(shop_id="a", price=eur(1000)))
    b1 = orders.listings.add(listing(shop_id="b", price=eur(700)))
    for info in (a1, b1):
        orders.add_to_cart("ada", info, quantity=2)

    placed = orders.checkout("ada")

    assert placed.status_code == 201
    read_back = orders.client.get(
        f"/orders/{placed.get_json()['id']}", headers=support.auth_header("ada")
    )
    assert placed.get_json() == read_back.get_json()


def test_checkout_twice_with_the_same_key_makes_one_order(orders):
    first = orders.order_in_cart("ada")

    again = orders.checkout("ada", key="key-1")

    assert again.status_code == 200
    assert again.get_json() == first
    assert orders.count(db.Order) == 1
    assert [row.event_type for row in orders.outbox()] == ["order.placed", "order.confirmed"]


def test_checkout_concurrently_with_the_same_key_makes_one_order(orders):
    orders.add_to_cart("ada", orders.listings.add(listing()))
    # Both requests pass the "already placed?" check before either writes its order.
    orders.listings.on_get = threading.Barrier(2, timeout=10).wait

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(lambda _: orders.checkout("ada"), range(2)))

    assert sorted(r.status_code for r in responses) == [200, 201]
    assert responses[0].get_json()["id"] == responses[1].get_json()["id"]
    assert orders.count(db.Order) == 1
    assert [row.event_type for row in orders.outbox()] == ["order.placed", "order.confirmed"]


def test_checkout_same_key_for_another_buyer_is_their_own_order(orders):
    orders.order_in_cart("ada")
    orders.add_to_cart("bob", orders.listings.add(listing()))

    response = orders.checkout("bob", key="key-1")

    assert response.status_code == 201
    assert orders.count(db.Order) == 2


def test_checkout_price_changed_is_409_and_writes_no_order(orders):
    book = orders.listings.add(listing(title="Mrs Dalloway", price=eur(1000)))
    orders.add_to_cart("ada", book)
    orders.listings.change(book, price=eur(1200))

    response = orders.checkout("ada")

    assert response.status_code == 409
    body = response.get_json()
    assert "the price of “Mrs Dalloway” changed from EUR 10.00 to EUR 12.00" in body["error"]
    assert book.id in body["fields"]
    assert orders.count(db.Order) == 0
    assert orders.count(db.ShopOrder) == 0
    assert orders.outbox() == []
    cart = orders.client.get("/cart", headers=support.auth_header("ada")).get_json()
    assert cart["lines"][0]["unit_price"] == {"amount": 1200, "currency": "EUR"}


def test_checkout_after_seeing_the_new_price_succeeds(orders):
    book = orders.listings.add(listing(price=eur(1000)))
    orders.add_to_cart("ada", book)
    orders.listings.change(book, price=eur(1200))
    assert orders.checkout("ada").status_code == 409

    response = orders.checkout("ada")

    assert response.status_code == 201
    assert response.get_json()["total"]["amount"] == 1200


def test_checkout_listing_gone_or_short_is_409(orders):
    gone = orders.listings.add(listing(title="Jacob's Room"))
    short = orders.listings.add(listing(title="Flush", quantity=3))
    orders.add_to_cart("ada", gone)
    orders.add_to_cart("ada", short, quantity=3)
    orders.listings.remove(gone)
    orders.listings.change(short, quantity=1)

    response = orders.checkout("ada")

    assert response.status_code == 409
    error = response.get_json()["error"]
    assert "“Jacob's Room” is no longer for sale" in error
    assert "only 1 of “Flush” left, you asked for 3" in error
    assert orders.count(db.Order) == 0


def test_checkout_empty_cart_is_422(orders_on_sqlite):
    orders = orders_on_sqlite
    response = orders.checkout("ada")

    assert response.status_code == 422
    assert "cart is empty" in response.get_json()["error"]


INVALID_FIELDS = [
    ("idempotency_key", " "),
    ("idempotency_key", "k" * 101),
]
INVALID_ADDRESSES = [
    ("name", "  "),
    ("street_address", ""),
    ("country_code", "GBR"),
    ("country_code", "1A"),
    ("postal_code", "75002"),
]


def test_checkout_invalid_field_is_422_and_writes_nothing(orders_on_sqlite):
    orders = orders_on_sqlite
    orders.add_to_cart("ada", orders.listings.add(listing()))
    for field, value in INVALID_FIELDS:
        response = orders.checkout("ada", **{field: value})
        assert response.status_code == 422, (field, value)
        assert field in response.get_json()["fields"]
    for field, value in INVALID_ADDRESSES:
        response = orders.checkout("ada", address=postal_address("GB", **{field: value}))
        assert response.status_code == 422, (field, value)
        assert f"address.{field}" in response.get_json()["fields"], (field, value)
    assert orders.count(db.Order) == 0
    assert orders.count(db.CartLine) == 1
