"""The shop's profile and settings: owner-only changes, revisions, members."""

from __future__ import annotations

import pytest

from services.shops.db import OutboxMessage, Shop
from tests.shops.conftest import add_staff, make_seller

pytestmark = pytest.mark.integration

SETTINGS = {
    "about": "Second-hand books since 1987.",
    "policies": {"returns": "Returns within 14 days.", "shipping_times": "Ships in 2 days."},
    "shipping": {
        "domestic_first": {"amount": 450, "currency": "EUR"},
        "domestic_additional": {"amount": 150},
        "international_first": {"amount": 1200},
        "international_additional": {"amount": 400},
    },
    "order_handling": {"mode": "auto_accept"},
    "on_vacation": True,
}


def test_patch_shop_changes_the_settings_and_announces_them_with_a_new_revision(shops, seller):
    shop = shops.open_shop(seller, country="FR")

    response = shops.patch_shop(seller, shop["id"], **SETTINGS)

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["revision"] == 2
    assert body["policies"] == SETTINGS["policies"]
    assert body["shipping"]["domestic_additional"] == {"amount": 150, "currency": "EUR"}
    assert body["order_handling"] == {"mode": "auto_accept", "response_hours": 48}
    assert body["on_vacation"] is True
    event = shops.outbox("shop.updated")[-1]
    assert (event["revision"], event["on_vacation"], event["currency"]) == (2, True, "EUR")
    assert event["shipping"]["international_first"] == {"amount": 1200, "currency": "EUR"}
    assert event["about"] == "Second-hand books since 1987."


def test_patch_shop_with_nothing_new_keeps_the_revision_and_announces_nothing(shops, seller):
    shop = shops.open_shop(seller, country="FR")
    before = shops.count(OutboxMessage)

    response = shops.patch_shop(seller, shop["id"], country="fr", name=shop["name"])

    assert response.get_json()["revision"] == 1
    assert shops.count(OutboxMessage) == before


def test_patch_shop_response_window_in_hours(shops, seller):
    shop = shops.open_shop(seller)
    response = shops.patch_shop(seller, shop["id"], order_handling={"response_hours": 24})
    assert response.get_json()["order_handling"] == {"mode": "manual", "response_hours": 24}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"country": "France"}, "country"),
        ({"shipping": {"domestic_first": {"amount": -5}}}, "shipping.domestic_first.amount"),
        (
            {"shipping": {"domestic_first": {"amount": 5, "currency": "USD"}}},
            "shipping.domestic_first.currency",
        ),
        ({"order_handling": {"mode": "whenever"}}, "order_handling.mode"),
        ({"order_handling": {"response_hours": 0}}, "order_handling.response_hours"),
        ({"on_vacation": "yes"}, "on_vacation"),
    ],
)
def test_patch_shop_refuses_bad_settings_and_writes_nothing(shops, seller, changes, field):
    shop = shops.open_shop(seller)
    before = shops.count(OutboxMessage)

    response = shops.patch_shop(seller, shop["id"], **changes)

    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert shops.get(Shop, shop["id"]).revision == 1
    assert shops.count(OutboxMessage) == before


def test_staff_can_list_but_cannot_change_settings_or_members(shops, seller):
    shop = shops.open_shop(seller)
    staff = add_staff(shops, seller, shop["id"])

    assert shops.add_listing(staff, shop["id"])["shop_id"] == shop["id"]
    assert shops.patch_shop(staff, shop["id"], name="Mine now").status_code == 403
    response = shops.client.post(
        f"/shops/{shop['id']}/members",
        json={"user_id": make_seller().user_id, "role": "staff"},
        headers=staff.headers(),
    )
    assert response.status_code == 403
    members = shops.client.get(f"/shops/{shop['id']}/members", headers=staff.headers())
    assert {m["role"] for m in members.get_json()["members"]} == {"owner", "staff"}


def test_add_member_refuses_a_second_owner_and_a_member_twice(shops, seller):
    shop = shops.open_shop(seller)
    staff = add_staff(shops, seller, shop["id"])
    url = f"/shops/{shop['id']}/members"
    twice = shops.client.post(
        url, json={"user_id": staff.user_id, "role": "staff"}, headers=seller.headers()
    )
    owner = shops.client.post(
        url, json={"user_id": "someone", "role": "owner"}, headers=seller.headers()
    )
    assert (twice.status_code, owner.status_code) == (409, 422)


def test_listing_of_a_shop_on_vacation_is_not_purchasable(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"])
    shops.patch_shop(seller, shop["id"], on_vacation=True)

    body = shops.client.get(f"/listings/{listing['id']}").get_json()

    assert body["purchasable"] is False
    assert body["shop"]["on_vacation"] is True
    assert shops.client.get(f"/shops/{shop['id']}").get_json()["on_vacation"] is True
