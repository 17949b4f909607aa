"""Checkout charges only the total the buyer was shown, and only with a card they typed."""

from __future__ import annotations

from services.orders import db
from tests import support
from tests.orders.factories import eur, listing, rates


def test_checkout_with_changed_shipping_is_409_naming_the_shop_and_writes_nothing(orders):
    book = orders.listings.add(
        listing(shop_id="a", shop_name="Hogarth Books", shop_country="GB", shipping=rates())
    )
    orders.add_to_cart("ada", book)
    shown = orders.client.get("/cart?country=FR", headers=support.auth_header("ada")).get_json()
    assert shown["total"]["amount"] == 1250 + 900
    orders.listings.change(book, shipping=rates(international=(1400, 400)))

    response = orders.checkout("ada", country="FR", expected_total=str(shown["total"]["amount"]))

    assert response.status_code == 409, response.get_json()
    body = response.get_json()
    assert body["fields"] == {"a": "Shipping from Hogarth Books is now EUR 14.00 (was EUR 9.00)"}
    assert body["total"] == {"amount": 1250 + 1400, "currency": "EUR"}
    assert "Nothing was ordered" in body["error"]
    assert orders.count(db.Order) == 0
    assert orders.count(db.EmbeddedPaymentOperation) == 0
    # The cart now shows the new total, and checking out with it places the order.
    again = orders.client.get("/cart?country=FR", headers=support.auth_header("ada")).get_json()
    assert again["total"]["amount"] == 1250 + 1400
    placed = orders.checkout("ada", country="FR", expected_total=str(1250 + 1400))
    assert placed.status_code == 201, placed.get_json()
    assert placed.get_json()["total"]["amount"] == 1250 + 1400


def test_checkout_with_the_shown_total_or_none_places_the_order(orders_on_sqlite):
    orders = orders_on_sqlite
    book = orders.listings.add(listing(shop_country="GB", shipping=rates(), price=eur(1000)))
    orders.add_to_cart("ada", book)

    assert orders.checkout("ada", expected_total=str(1000 + 300)).status_code == 201
    orders.add_to_cart("bob", book)
    assert orders.checkout("bob", key="other").status_code == 201  # other clients send none


def test_checkout_with_a_total_the_shipping_does_not_explain_is_409(orders_on_sqlite):
    orders = orders_on_sqlite
    book = orders.listings.add(listing(shop_country="GB", shipping=rates(), price=eur(1000)))
    orders.add_to_cart("ada", book)

    response = orders.checkout("ada", expected_total="999")

    assert response.status_code == 409
    assert response.get_json()["fields"] == {
        "expected_total": "The total with shipping to GB is EUR 13.00, not EUR 9.99"
    }
    assert orders.count(db.Order) == 0


def test_checkout_without_a_card_is_422_and_writes_nothing(orders):
    orders.add_to_cart("ada", orders.listings.add(listing()))

    response = orders.checkout("ada", card_number=None)

    assert response.status_code == 422
    body = response.get_json()
    assert "card number is required" in body["error"]
    assert body["fields"] == {"card_number": "enter your card number"}
    assert orders.count(db.Order) == 0
    assert orders.count(db.EmbeddedPaymentOperation) == 0
    assert orders.checkout("ada", card_number="").status_code == 422
