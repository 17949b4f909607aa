"""The demo shops: what a new shopper sees after `make run` must let them judge shipping."""

from __future__ import annotations

from scripts.demo_data import DEMO_SHOPS
from services.shops.api.shops import ShippingIn


def test_demo_shops_charge_realistic_shipping_at_home_and_abroad():
    for shop in DEMO_SHOPS:
        rates = shop.rates
        assert 200 <= rates.domestic_first <= 1000, shop.name
        assert rates.international_first > rates.domestic_first, shop.name
        assert rates.domestic_additional < rates.domestic_first, shop.name
        assert rates.international_additional < rates.international_first, shop.name


def test_demo_shops_do_not_all_charge_the_same():
    assert len({shop.rates for shop in DEMO_SHOPS}) == len(DEMO_SHOPS)


def test_demo_rates_are_in_the_shape_the_shops_api_takes():
    patch = DEMO_SHOPS[0].rates.as_patch()

    assert patch["international_additional"] == {"amount": 300, "currency": "EUR"}
    assert set(patch) == set(ShippingIn.model_fields)


def test_one_demo_shop_ships_for_free_over_an_amount():
    offering = [shop for shop in DEMO_SHOPS if shop.rates.free_over]

    assert [shop.rates.free_over for shop in offering] == [5000]
    assert offering[0].rates.as_patch()["free_over"] == {"amount": 5000, "currency": "EUR"}
