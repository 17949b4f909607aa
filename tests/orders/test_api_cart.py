"""The cart over HTTP, on a real database."""

from __future__ import annotations

import pytest

from services.orders import db
from services.orders.domain.money import Money
from tests import support
from tests.orders.factories import eur, listing

pytestmark = pytest.mark.integration


def test_add_to_cart_shows_the_line_and_the_shop_subtotal(orders):
    book = orders.listings.add(listing(shop_id="a", price=eur(1250)))

    response = orders.add_to_cart("ada", book, quantity=2)

    assert response.status_code == 201
    cart = orders.client.get("/cart", headers=support.auth_header("ada")).get_json()
    assert cart == response.get_json()
    [line] = cart["lines"]
    assert line["listing_id"] == book.id
    assert line["quantity"] == 2
    assert line["unit_price"] == {"amount": 1250, "currency": "EUR"}
    assert cart["shops"] == [
        {
            "shop_id": "a",
            "shop_name": book.shop_name,
            "subtotal": {"amount": 2500, "currency": "EUR"},
            "shipping": {"amount": 0, "currency": "EUR"},
            "items": 2,
            # A shop without rates ships for free and offers no services to choose from.
            "delivery_options": [],
            "delivery_choice": None,
            "delivery_problem": None,
        }
    ]
    assert cart["total"] == {"amount": 2500, "currency": "EUR"}


def test_add_to_cart_again_sets_the_quantity(orders):
    book = orders.listings.add(listing())
    orders.add_to_cart("ada", book, quantity=1)

    response = orders.add_to_cart("ada", book, quantity=3)

    assert response.status_code == 200
    assert [line["quantity"] for line in response.get_json()["lines"]] == [3]


def test_add_to_cart_unknown_listing_is_422(orders_on_sqlite):
    orders = orders_on_sqlite
    response = orders.add_to_cart("ada", listing())

    assert response.status_code == 422
    assert "no listing" in response.get_json()["error"]
    assert orders.count(db.CartLine) == 0


def test_add_to_cart_beyond_stock_is_422(orders):
    book = orders.listings.add(listing(title="Orlando", quantity=2))

    response = orders.add_to_cart("ada", book, quantity=3)

    assert response.status_code == 422
    assert response.get_json()["error"] == "only 2 of “Orlando” left, you asked for 3"
    assert orders.count(db.CartLine) == 0


def test_add_to_cart_in_another_currency_is_422(orders_on_sqlite):
    orders = orders_on_sqlite
    orders.add_to_cart("ada", orders.listings.add(listing(price=eur(1000))))
    dollars = orders.listings.add(listing(title="Walden", price=Money(900, "USD")))

    response = orders.add_to_cart("ada", dollars)

    assert response.status_code == 422
    assert "“Walden” is priced in USD" in response.get_json()["error"]
    assert orders.count(db.CartLine) == 1


def test_add_to_cart_invalid_quantity_names_the_field(orders_on_sqlite):
    orders = orders_on_sqlite
    book = orders.listings.add(listing())

    response = orders.add_to_cart("ada", book, quantity=0)

    assert response.status_code == 422
    assert "quantity" in response.get_json()["fields"]


def test_add_to_cart_when_shops_is_down_is_503(orders_on_sqlite):
    orders = orders_on_sqlite
    book = orders.listings.add(listing())
    orders.listings.down = True

    response = orders.add_to_cart("ada", book)

    assert response.status_code == 503
    assert response.get_json()["error"] == "the shop service is unavailable, try again"


def test_remove_from_cart_leaves_the_other_lines(orders):
    kept, removed = orders.listings.add(listing()), orders.listings.add(listing())
    orders.add_to_cart("ada", kept)
    orders.add_to_cart("ada", removed)

    response = orders.client.delete(f"/cart/lines/{removed.id}", headers=support.auth_header("ada"))

    assert response.status_code == 200
    assert [line["listing_id"] for line in response.get_json()["lines"]] == [kept.id]


def test_get_cart_is_each_buyers_own(orders):
    orders.add_to_cart("ada", orders.listings.add(listing()))

    cart = orders.client.get("/cart", headers=support.auth_header("bob")).get_json()

    assert cart["lines"] == []


ROUTES = [
    ("get", "/cart"),
    ("post", "/cart/lines"),
    ("delete", "/cart/lines/x"),
    ("post", "/checkout"),
    ("get", "/orders"),
    ("get", "/orders/x"),
]


def test_every_route_without_a_token_is_401(orders_on_sqlite):
    client = orders_on_sqlite.client
    for method, path in ROUTES:
        response = getattr(client, method)(path, json={})
        assert response.status_code == 401, (method, path)
        forged = {"Authorization": "Bearer forged"}
        assert getattr(client, method)(path, json={}, headers=forged).status_code == 401
