"""A shop's free shipping from an amount: the cart and checkout count no shipping for a
parcel worth at least that, wherever it goes."""

from __future__ import annotations

import pytest

from services.orders.domain.shipping import ShippingRates, shipping_cost
from tests import support
from tests.orders.factories import eur, listing, rates

pytestmark = pytest.mark.integration

FREE_OVER_50 = rates(free_over=5000)


def cost(*, worth: int, destination: str | None = "FR"):  # noqa: ANN202
    return shipping_cost(
        FREE_OVER_50,
        items=2,
        shop_country="DE",
        destination=destination,
        currency="EUR",
        subtotal=eur(worth),
    )


def test_a_parcel_worth_the_amount_ships_free_one_below_pays():
    assert cost(worth=5000) == eur(0)
    assert cost(worth=5000, destination=None) == eur(0)  # free wherever it goes
    assert cost(worth=4999) == eur(900 + 400)
    assert cost(worth=4999, destination=None) is None


def test_rates_keep_their_free_shipping_amount_through_a_cart_line():
    assert ShippingRates.from_dict(FREE_OVER_50.as_dict()) == FREE_OVER_50
    # Rates stored before free shipping existed have no such key.
    old = {
        key: value
        for key, value in rates().as_dict().items()
        if key not in ("free_over", "profile")
    }
    regions = ShippingRates.from_dict(old).profile.regions
    assert [region.free_over for region in regions] == [None, None]


def test_the_cart_counts_no_shipping_once_a_shops_items_reach_the_amount(orders_on_sqlite):
    orders = orders_on_sqlite
    cheap, dear = (
        orders.listings.add(
            listing(shop_id="a", shop_country="DE", shipping=FREE_OVER_50, price=eur(amount))
        )
        for amount in (2000, 3500)
    )
    ada = support.auth_header("ada")

    orders.add_to_cart("ada", cheap)
    below = orders.client.get("/cart?country=FR", headers=ada).get_json()
    orders.add_to_cart("ada", dear)
    above = orders.client.get("/cart?country=FR", headers=ada).get_json()

    assert below["shops"][0]["shipping"] == {"amount": 900, "currency": "EUR"}
    assert above["shops"][0]["shipping"] == {"amount": 0, "currency": "EUR"}
    assert above["total"] == {"amount": 5500, "currency": "EUR"}
