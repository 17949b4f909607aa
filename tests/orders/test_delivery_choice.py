"""The buyer chooses a shipping service (or collection) per shop; what is charged follows."""

from __future__ import annotations

import json

import pytest

from services.orders import db
from tests import support
from tests.orders.factories import eur, listing, profile_rates

pytestmark = pytest.mark.integration


def _placed(orders) -> dict:
    [row] = [row for row in orders.outbox() if row.event_type == "order.placed"]
    return json.loads(row.body)


def test_express_chosen_at_checkout_is_charged_and_told_to_the_shop(orders):
    book = orders.listings.add(
        listing(shop_id="lyon", shop_country="FR", shipping=profile_rates(), price=eur(1200))
    )
    orders.add_to_cart("ada", book, quantity=2)

    response = orders.checkout("ada", country="FR", delivery={"lyon": "express"})

    assert response.status_code == 201, response.get_json()
    [part] = response.get_json()["parts"]
    assert part["shipping"] == {"amount": 990 + 200, "currency": "EUR"}
    assert part["delivery"] == {
        "service": "express",
        "service_name": "Express",
        "days_min": 1,
        "days_max": 1,
        "estimate": "1 day",
        "collection": False,
    }
    assert response.get_json()["total"]["amount"] == 2400 + 1190
    event = _placed(orders)
    assert event["payload"]["shipping"] == {"amount": 1190, "currency": "EUR"}
    assert event["payload"]["delivery"]["service"] == "express"
    assert event["payload"]["delivery_address"]["country_code"] == "FR"


def test_without_a_choice_the_cheapest_service_is_charged(orders):
    book = orders.listings.add(
        listing(shop_id="lyon", shop_country="FR", shipping=profile_rates(), price=eur(1200))
    )
    orders.add_to_cart("ada", book)

    [part] = orders.checkout("ada", country="FR").get_json()["parts"]

    assert part["shipping"]["amount"] == 290
    assert part["delivery"]["service"] == "economy"


def test_the_service_chosen_in_the_cart_is_priced_there_and_at_checkout(orders):
    book = orders.listings.add(
        listing(shop_id="lyon", shop_country="FR", shipping=profile_rates(), price=eur(1200))
    )
    orders.add_to_cart("ada", book)
    ada = support.auth_header("ada")
    orders.client.put("/cart/country", json={"country": "FR"}, headers=ada)

    cart = orders.client.put(
        "/cart/delivery", json={"shop_id": "lyon", "service": "express"}, headers=ada
    ).get_json()
    order = orders.checkout("ada", country="FR", expected_total=1200 + 990).get_json()

    [shop] = cart["shops"]
    assert [option["service"] for option in shop["delivery_options"]] == ["economy", "express"]
    assert shop["delivery_choice"] == "express"
    assert shop["shipping"]["amount"] == 990
    assert order["parts"][0]["delivery"]["service"] == "express"
    assert order["total"]["amount"] == 1200 + 990


def test_free_shipping_over_is_per_region_and_only_for_the_cheapest_service(orders_on_sqlite):
    orders = orders_on_sqlite
    book = orders.listings.add(
        listing(shop_id="lyon", shop_country="FR", shipping=profile_rates(), price=eur(4000))
    )
    orders.add_to_cart("ada", book)
    ada = support.auth_header("ada")

    to_germany = orders.client.get("/cart?country=DE", headers=ada).get_json()["shops"][0]
    to_us = orders.client.get("/cart?country=US", headers=ada).get_json()["shops"][0]

    assert to_germany["shipping"]["amount"] == 0
    assert to_germany["delivery_options"][0]["free"] is True
    assert to_us["shipping"]["amount"] == 1500


def test_a_country_the_shop_does_not_ship_to_refuses_checkout_with_a_clear_message(orders):
    far = orders.listings.add(
        listing(
            shop_id="lyon",
            shop_name="Librairie du Rhône",
            shop_country="FR",
            shipping=profile_rates(excluded=("US",)),
        )
    )
    orders.add_to_cart("ada", far)

    cart = orders.client.get("/cart?country=US", headers=support.auth_header("ada")).get_json()
    response = orders.checkout("ada", country="US")

    assert cart["shops"][0]["shipping"] is None
    assert "does not ship to US" in cart["shops"][0]["delivery_problem"]
    assert response.status_code == 422
    assert response.get_json()["error"] == (
        "Librairie du Rhône does not ship to US: remove its items from your cart to order the rest"
    )
    assert orders.count(db.Order) == 0
    assert orders.count(db.EmbeddedPaymentOperation) == 0


def test_collection_in_person_costs_nothing_and_the_shop_gets_no_address(orders):
    book = orders.listings.add(
        listing(shop_id="lyon", shop_country="FR", shipping=profile_rates(pickup=True))
    )
    orders.add_to_cart("ada", book)

    response = orders.checkout("ada", country="GB", delivery={"lyon": "pickup"})

    assert response.status_code == 201, response.get_json()
    [part] = response.get_json()["parts"]
    assert part["shipping"]["amount"] == 0
    assert part["delivery"]["collection"] is True
    event = _placed(orders)
    assert event["version"] == 1
    assert "delivery_address" not in event["payload"]
    assert event["payload"]["delivery"]["collection"] is True
    # Nothing of the street travels to the shop, in any message it is sent.
    assert "Analytical" not in event["payload"].__repr__()


def test_collection_from_a_shop_that_offers_none_is_422(orders):
    book = orders.listings.add(
        listing(shop_id="lyon", shop_country="FR", shipping=profile_rates(pickup=False))
    )
    orders.add_to_cart("ada", book)

    response = orders.checkout("ada", country="FR", delivery={"lyon": "pickup"})

    assert response.status_code == 422
    assert "does not offer collection in person" in response.get_json()["error"]
    assert orders.count(db.Order) == 0


def test_a_service_the_shop_does_not_offer_there_is_422_naming_those_it_does(orders):
    book = orders.listings.add(listing(shop_id="lyon", shop_country="FR", shipping=profile_rates()))
    orders.add_to_cart("ada", book)

    response = orders.checkout("ada", country="DE", delivery={"lyon": "express"})

    assert response.status_code == 422
    assert "choose one of standard" in response.get_json()["error"]
