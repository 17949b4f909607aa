"""A shop's shipping profile and town, and its orders collected in person."""

from __future__ import annotations

import pytest

from services.common.contracts import Delivery, OrderPaymentCaptured, PostalAddress
from services.shops.db import ShopOrder
from tests.shops.conftest import order_placed
from tests.shops.test_delivery_address import order_placed_v2

pytestmark = pytest.mark.integration

PROFILE = {
    "currency": "EUR",
    "regions": [
        {
            "name": "France",
            "group": "home",
            "services": [
                {"code": "economy", "name": "Economy", "first": 290, "days_min": 3, "days_max": 5},
                {"code": "express", "name": "Express", "first": 990, "additional": 200,
                 "days_min": 1, "days_max": 1},
            ],
        },
        {"name": "Europe", "group": "eu", "free_over": 4000,
         "services": [{"code": "standard", "name": "Standard", "first": 650}]},
    ],
    "excluded": ["RU"],
    "pickup": True,
}  # fmt: skip


def test_a_profile_is_kept_announced_and_shown_with_its_two_zone_figures(shops, seller):
    shop = shops.open_shop(seller, country="FR")

    response = shops.patch_shop(seller, shop["id"], shipping_profile=PROFILE)

    assert response.status_code == 200, response.get_json()
    shipping = response.get_json()["shipping"]
    assert shipping["profile"]["regions"][0]["services"][1]["code"] == "express"
    assert shipping["profile"]["pickup"] is True
    assert shipping["profile"]["excluded"] == ["RU"]
    # Readers that predate profiles see the cheapest service at home and the first region.
    assert shipping["domestic_first"] == {"amount": 290, "currency": "EUR"}
    [announced] = shops.outbox("shop.updated")[-1:]
    assert announced["shipping"]["profile"] == shipping["profile"]


def test_a_two_zone_change_moves_the_profiles_standard_services(shops, seller):
    shop = shops.open_shop(seller, country="FR")
    shops.patch_shop(seller, shop["id"], shipping_profile=PROFILE)

    response = shops.patch_shop(
        seller, shop["id"], shipping={"international_first": {"amount": 1800}}
    )

    regions = response.get_json()["shipping"]["profile"]["regions"]
    # The profile had no rest-of-the-world region: it gets one, priced as the seller said.
    assert regions[-1]["group"] == "world"
    assert regions[-1]["services"][0]["first"] == 1800
    assert regions[0]["services"][1]["first"] == 990


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"currency": "GBP"}, "shipping_profile.currency"),
        ({"excluded": ["XX"]}, "shipping_profile.excluded"),
        (
            {"regions": [{"name": "Nowhere",
                          "services": [{"code": "s", "name": "S", "first": 1}]}]},
            "shipping_profile.regions.0",
        ),
        (
            {"regions": [{"name": "Home", "group": "home",
                          "services": [{"code": "pickup", "name": "P", "first": 0}]}]},
            "shipping_profile.regions.0.services",
        ),
    ],
)  # fmt: skip
def test_a_wrong_profile_is_422_naming_the_field_and_changes_nothing(shops, seller, change, field):
    shop = shops.open_shop(seller, country="FR")

    response = shops.patch_shop(seller, shop["id"], shipping_profile=PROFILE | change)

    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    unchanged = shops.client.get(f"/shops/{shop['id']}").get_json()
    assert unchanged["shipping"]["profile"]["regions"][0]["group"] == "home"
    assert len(unchanged["shipping"]["profile"]["regions"]) == 2


def test_the_shops_town_is_placed_from_the_towns_shipped_offline(shops, seller):
    shop = shops.open_shop(seller, country="FR")

    placed = shops.patch_shop(
        seller, shop["id"], location={"town": "Lyon", "postal_code": "69002"}
    ).get_json()
    unknown = shops.patch_shop(seller, shop["id"], location={"town": "Nowhereville"}).get_json()

    assert placed["location"]["town"] == "Lyon"
    assert placed["location"]["latitude"] == pytest.approx(45.75, abs=0.05)
    assert placed["location"]["longitude"] == pytest.approx(4.85, abs=0.05)
    announced = shops.outbox("shop.updated")[-2]
    assert announced["location"]["town"] == "Lyon"
    assert announced["location"]["postal_code"] == "69002"
    assert unknown["location"]["latitude"] is None


def _collection_order(shops, seller, shop_id, listing):
    event = order_placed_v2(
        shop_id,
        [(listing, 1)],
        address=PostalAddress(
            name="Clara",
            street_address="12 rue Vivienne",
            city="LYON",
            postal_code="69002",
            country_code="FR",
        ),
    )
    return event.model_copy(
        update={"delivery": Delivery(service="pickup", service_name="Collection in person",
                                     collection=True)}
    )  # fmt: skip


def test_an_order_collected_in_person_is_made_ready_then_collected(shops, seller):
    shop = shops.open_shop(seller, country="FR")
    listing = shops.add_listing(seller, shop["id"], quantity=2)
    event = _collection_order(shops, seller, shop["id"], listing)
    assert shops.deliver(event) is True
    url = f"/shops/{shop['id']}/orders/{event.shop_order_id}"
    assert shops.client.post(url + "/accept", headers=seller.headers()).status_code == 200
    shops.deliver(
        OrderPaymentCaptured(
            order_id=event.order_id,
            shop_order_id=event.shop_order_id,
            shop_id=event.shop_id,
            amount=event.subtotal,
        )
    )

    shipped = shops.client.post(url + "/ship", json={"note": "Hi"}, headers=seller.headers())
    too_early = shops.client.post(url + "/collected", headers=seller.headers())
    ready = shops.client.post(url + "/ready-to-collect", headers=seller.headers())
    collected = shops.client.post(url + "/collected", headers=seller.headers())

    assert shipped.status_code == 409
    assert "collects this order in person" in shipped.get_json()["error"]
    assert too_early.status_code == 409
    assert ready.status_code == 200
    assert ready.get_json()["delivery"]["ready_to_collect_at"] is not None
    assert collected.status_code == 200
    assert collected.get_json()["status"] == "shipped"
    assert collected.get_json()["delivery"]["collected"] is True
    [told] = shops.outbox("shop_order.ready_to_collect")
    assert told["shop_order_id"] == event.shop_order_id
    [handed] = shops.outbox("shop_order.shipped")
    assert handed["carrier"] == "Collected in person"


def test_the_shop_never_keeps_a_street_address_for_an_order_collected_in_person(shops, seller):
    shop = shops.open_shop(seller, country="FR")
    listing = shops.add_listing(seller, shop["id"], quantity=2)
    # Even a message that carried an address by mistake leaves none at the shop.
    event = _collection_order(shops, seller, shop["id"], listing)

    shops.deliver(event)

    assert shops.get(ShopOrder, event.shop_order_id).delivery_address is None
    shown = shops.client.get(
        f"/shops/{shop['id']}/orders/{event.shop_order_id}", headers=seller.headers()
    ).get_json()
    assert shown["delivery_address"] is None
    assert shown["delivery"]["collection"] is True
    assert "Vivienne" not in str(shown)


def test_an_order_placed_with_express_shows_the_service_and_its_estimate(shops, seller):
    shop = shops.open_shop(seller, country="FR")
    listing = shops.add_listing(seller, shop["id"], quantity=2)
    event = order_placed(shop["id"], [(listing, 1)]).model_copy(
        update={"delivery": Delivery(service="express", service_name="Express", days_min=1,
                                     days_max=1)}
    )  # fmt: skip

    shops.deliver(event)

    shown = shops.client.get(
        f"/shops/{shop['id']}/orders/{event.shop_order_id}", headers=seller.headers()
    ).get_json()
    assert shown["delivery"]["service_name"] == "Express"
    assert shown["delivery"]["estimate"] == "1 day"
