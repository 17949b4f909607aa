"""A shop may offer free shipping from an amount; it is announced with the shop's rates."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_free_shipping_over_an_amount_is_set_shown_announced_and_taken_away(shops, seller):
    shop = shops.open_shop(seller, country="DE")

    offered = shops.patch_shop(
        seller, shop["id"], shipping={"free_over": {"amount": 5000, "currency": "EUR"}}
    )
    listing = shops.add_listing(seller, shop["id"])
    read = shops.client.get(f"/listings/{listing['id']}")
    announced = shops.outbox("shop.updated")[-1]
    taken_away = shops.patch_shop(seller, shop["id"], shipping={"free_over": None})

    assert offered.status_code == 200, offered.get_json()
    assert offered.get_json()["shipping"]["free_over"] == {"amount": 5000, "currency": "EUR"}
    assert read.get_json()["shop"]["shipping"]["free_over"] == {"amount": 5000, "currency": "EUR"}
    assert announced["shipping"]["free_over"] == {"amount": 5000, "currency": "EUR"}
    assert taken_away.get_json()["shipping"]["free_over"] is None


def test_free_shipping_over_nothing_is_refused(shops, seller):
    shop = shops.open_shop(seller)

    response = shops.patch_shop(
        seller, shop["id"], shipping={"free_over": {"amount": 0, "currency": "EUR"}}
    )

    assert response.status_code == 422
    assert "shipping.free_over.amount" in response.get_json()["fields"]
