"""The one rule for the price of shipping (services/common/shipping.py), and every service
that prices a parcel agreeing with it: orders' carts, the catalog's landed prices and
comparator, and want lists."""

from __future__ import annotations

import itertools

import pytest

from services.catalog import works
from services.catalog.search.port import Shipping
from services.catalog.wants.domain import Arrival, Seller
from services.common import geo
from services.common import shipping as rule
from services.orders.domain.money import Money
from services.orders.domain.shipping import NotShippedTo, ShippingRates, delivery
from tests.catalog.factories import document

PROFILE = rule.profile_from_dict(
    {
        "currency": "EUR",
        "regions": [
            {"group": "home", "name": "France", "services": [
                {"code": "economy", "name": "Economy", "first": 290, "additional": 50,
                 "days_min": 3, "days_max": 5},
                {"code": "express", "name": "Express", "first": 990, "additional": 200,
                 "days_min": 1, "days_max": 1}]},
            {"group": "eu", "name": "EU", "free_over": 4000,
             "services": [{"code": "standard", "name": "Standard", "first": 650,
                           "additional": 100}]},
            {"group": "north_america", "name": "North America",
             "services": [{"code": "standard", "name": "Standard", "first": 1800}]},
            {"name": "Switzerland", "countries": ["CH"],
             "services": [{"code": "standard", "name": "Standard", "first": 900}]},
        ],
        "excluded": ["US"],
        "pickup": True,
    }
)  # fmt: skip


def test_each_destination_finds_its_region_by_precedence():
    def region(country: str) -> str | None:
        found = PROFILE.region_for(shop_country="FR", destination=country)
        return None if found is None else found.name

    assert region("FR") == "France"  # home before the EU
    assert region("de") == "EU"
    assert region("CH") == "Switzerland"  # named one by one
    assert region("CA") == "North America"
    assert region("US") is None  # not shipped to, though in North America
    assert region("JP") is None  # no rest-of-the-world region


def test_a_parcel_costs_the_first_item_then_each_additional_one_by_the_service_chosen():
    def price(service: str | None, items: int, subtotal: int = 1000) -> int:
        return rule.quote(
            PROFILE, shop_country="FR", destination="FR", items=items, subtotal=subtotal,
            service=service,
        ).amount  # fmt: skip

    assert price(None, 1) == 290  # the cheapest when none is named
    assert price("economy", 3) == 290 + 2 * 50
    assert price("express", 2) == 990 + 200
    with pytest.raises(rule.UnknownService):
        price("standard", 1)


def test_free_shipping_over_an_amount_is_per_region_and_for_its_cheapest_service():
    below = rule.quote(PROFILE, shop_country="FR", destination="DE", items=2, subtotal=3999)
    over = rule.quote(PROFILE, shop_country="FR", destination="DE", items=2, subtotal=4000)
    at_home = rule.quote(PROFILE, shop_country="FR", destination="FR", items=1, subtotal=9000)

    assert (below.amount, below.free) == (750, False)
    assert (over.amount, over.free) == (0, True)
    assert at_home.amount == 290  # France has no free-shipping amount


def test_a_country_not_shipped_to_has_no_price():
    with pytest.raises(rule.NotShipped):
        rule.quote(PROFILE, shop_country="FR", destination="US", items=1, subtotal=100)
    assert rule.cheapest(PROFILE, shop_country="FR", destination="US", price=100) is None
    assert "US" not in rule.first_item_by_country(
        PROFILE, shop_country="FR", countries=("US", "CA"), price=100
    )


def test_a_profile_keeps_its_shape_through_storage():
    assert rule.profile_from_dict(rule.profile_as_dict(PROFILE)) == PROFILE
    assert rule.profile_of_rates(rule.rates_of_profile(PROFILE)) == PROFILE


LEGACY = {"domestic_first": 490, "domestic_additional": 100, "international_first": 1490,
          "international_additional": 500, "free_over": 5000}  # fmt: skip


@pytest.mark.parametrize(
    ("destination", "items", "subtotal"),
    itertools.product(("FR", "DE", "US"), (1, 3), (1000, 5000)),
)
def test_two_zone_rates_price_as_they_always_did(destination, items, subtotal):
    profile = rule.from_legacy(currency="EUR", **LEGACY)
    old = (
        0
        if subtotal >= LEGACY["free_over"]
        else (LEGACY["domestic_first"] + LEGACY["domestic_additional"] * (items - 1))
        if destination == "FR"
        else (LEGACY["international_first"] + LEGACY["international_additional"] * (items - 1))
    )

    found = rule.quote(
        profile, shop_country="FR", destination=destination, items=items, subtotal=subtotal
    )

    assert found.amount == old


@pytest.mark.parametrize(
    ("destination", "price"), itertools.product(("FR", "DE", "CA", "CH"), (1000, 4000))
)
def test_orders_catalog_comparator_and_wants_price_one_copy_alike(destination, price):
    expected = rule.cheapest(PROFILE, shop_country="FR", destination=destination, price=price)
    assert expected is not None
    ordered = delivery(
        ShippingRates(PROFILE),
        shop_name="Shop",
        items=1,
        shop_country="FR",
        destination=destination,
        subtotal=Money(price, "EUR"),
    )
    listed = document(shop_country="FR", price_amount=price, shipping=Shipping(PROFILE))
    [offer] = works.compare([listed], country=destination)
    wanted = Arrival(
        listing_id="l", shop_id="s", title="Dune", isbn=None, terms=frozenset(),
        condition=None, binding=None, first_edition=False, price_amount=price,
        price_currency="EUR", seller=Seller(country="FR", shipping=PROFILE),
    )  # fmt: skip

    assert ordered.cost.amount == expected.amount
    assert ordered.service == expected.service
    assert listed.landed_amount_to(destination) == price + expected.amount
    assert offer.shipping == expected.amount and offer.service == expected.service_name
    assert wanted.shipping_to(destination) == (expected.amount, "EUR")


def test_every_service_agrees_that_a_country_not_shipped_to_cannot_be_reached():
    listed = document(shop_country="FR", price_amount=1000, shipping=Shipping(PROFILE))
    wanted = Arrival(
        listing_id="l", shop_id="s", title="Dune", isbn=None, terms=frozenset(),
        condition=None, binding=None, first_edition=False, price_amount=1000,
        price_currency="EUR", seller=Seller(country="FR", shipping=PROFILE),
    )  # fmt: skip

    with pytest.raises(NotShippedTo, match="Shop does not ship to US"):
        delivery(
            ShippingRates(PROFILE), shop_name="Shop", items=1, shop_country="FR",
            destination="US", subtotal=Money(1000, "EUR"),
        )  # fmt: skip
    assert listed.landed_amount_to("US") is None and not listed.ships_to("US")
    assert works.compare([listed], country="US") == []
    assert wanted.shipping_to("US") is None


def test_towns_are_placed_offline_and_measured_apart():
    lyon, paris = geo.locate("lyon", "fr"), geo.locate("Paris", "FR")

    assert lyon is not None and paris is not None
    assert 380 < geo.distance_km(lyon.latitude, lyon.longitude,
                                 paris.latitude, paris.longitude) < 400  # fmt: skip
    assert geo.locate("Saint-Étienne", "FR") == geo.locate("saint etienne", "FR")
    assert geo.locate("Lyon", "DE") is None
    assert geo.locate(None, "FR") is None
