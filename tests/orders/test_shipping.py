"""Shipping per shop from its rates and the buyer's country; shops that cannot sell now."""

from __future__ import annotations

import pytest

from services.orders import db
from services.orders.domain.shipping import shipping_cost
from tests import support
from tests.orders.factories import eur, listing, rates

pytestmark = pytest.mark.integration


def test_shipping_cost_is_first_item_plus_each_additional():
    domestic = shipping_cost(rates(), items=3, shop_country="GB", destination="gb", currency="EUR")
    abroad = shipping_cost(rates(), items=1, shop_country="GB", destination="FR", currency="EUR")
    unknown = shipping_cost(rates(), items=1, shop_country="GB", destination=None, currency="EUR")

    assert domestic == eur(300 + 2 * 100)
    assert abroad == eur(900)
    assert unknown is None
    assert shipping_cost(None, items=2, shop_country=None, destination="FR", currency="EUR") == eur(
        0
    )


def test_cart_prices_each_shops_shipping_once_for_the_country(orders_on_sqlite):
    orders = orders_on_sqlite
    a1, a2 = (
        orders.listings.add(
            listing(shop_id="a", shop_country="GB", shipping=rates(), price=eur(1000))
        )
        for _ in range(2)
    )
    b = orders.listings.add(
        listing(shop_id="b", shop_country="FR", shipping=rates((200, 50), (700, 300)))
    )
    for info in (a1, a2, b):
        orders.add_to_cart("ada", info)
    ada = support.auth_header("ada")

    unknown = orders.client.get("/cart", headers=ada).get_json()
    to_gb = orders.client.get("/cart?country=gb", headers=ada).get_json()
    orders.client.put("/cart/country", json={"country": "FR"}, headers=ada)
    stored = orders.client.get("/cart", headers=ada).get_json()
    bad = orders.client.get("/cart?country=GBR", headers=ada)

    assert [shop["shipping"] for shop in unknown["shops"]] == [None, None]
    assert [shop["shipping"]["amount"] for shop in to_gb["shops"]] == [400, 700]
    assert to_gb["total"] == {"amount": 1000 * 2 + 1250 + 400 + 700, "currency": "EUR"}
    assert stored["country"] == "FR"
    assert [shop["shipping"]["amount"] for shop in stored["shops"]] == [1300, 200]
    assert bad.status_code == 422


def test_checkout_charges_shipping_to_the_address_country(orders):
    a = orders.listings.add(
        listing(shop_id="a", shop_country="GB", shipping=rates(), price=eur(1000))
    )
    orders.add_to_cart("ada", a, quantity=2)

    order = orders.checkout("ada", country="FR").get_json()

    [part] = order["parts"]
    assert part["shipping"] == {"amount": 900 + 400, "currency": "EUR"}
    assert order["total"] == {"amount": 2000 + 1300, "currency": "EUR"}
    assert order["payment"]["authorized"]["amount"] == 3300


def test_add_to_cart_from_a_shop_on_vacation_is_422(orders_on_sqlite):
    orders = orders_on_sqlite
    away = orders.listings.add(listing(shop_name="Hale's", on_vacation=True))
    closed = orders.listings.add(listing(purchasable=False))

    on_vacation = orders.add_to_cart("ada", away)
    not_purchasable = orders.add_to_cart("ada", closed)

    assert on_vacation.status_code == 422
    assert "Hale's is on vacation" in on_vacation.get_json()["error"]
    assert not_purchasable.status_code == 422
    assert "not taking orders" in not_purchasable.get_json()["error"]
    assert orders.count(db.CartLine) == 0


def test_checkout_when_the_shop_went_on_vacation_is_409_and_charges_nothing(orders):
    book = orders.listings.add(listing(title="Cranford", shop_name="Hale's"))
    orders.add_to_cart("ada", book)
    orders.listings.change(book, on_vacation=True)

    response = orders.checkout("ada")

    assert response.status_code == 409
    assert "“Cranford” cannot be bought while Hale's is on vacation" in response.get_json()["error"]
    assert orders.count(db.Order) == 0
    assert orders.count(db.EmbeddedPaymentOperation) == 0
