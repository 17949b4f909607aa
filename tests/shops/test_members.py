"""Removing a shop's members: the owner only, and never the shop's last owner."""

from __future__ import annotations

import pytest

from services.shops.db import ShopMember
from tests import support
from tests.shops.conftest import add_staff, make_seller

pytestmark = pytest.mark.integration


def remove(shops, by, shop_id: str, user_id: str):
    return shops.client.delete(f"/shops/{shop_id}/members/{user_id}", headers=by.headers())


def member_ids(shops, owner, shop_id: str) -> set[str]:
    response = shops.client.get(f"/shops/{shop_id}/members", headers=owner.headers())
    return {member["user_id"] for member in response.get_json()["members"]}


def test_the_owner_removes_a_staff_member_who_then_finds_nothing(shops, seller):
    shop = shops.open_shop(seller)
    staff = add_staff(shops, seller, shop["id"])
    before = shops.client.get(f"/shops/{shop['id']}/orders", headers=staff.headers())
    assert before.status_code == 200

    response = remove(shops, seller, shop["id"], staff.user_id)

    assert response.status_code == 204
    assert member_ids(shops, seller, shop["id"]) == {seller.user_id}
    after = shops.client.get(f"/shops/{shop['id']}/orders", headers=staff.headers())
    assert after.status_code == 404
    assert shops.client.get("/shops/mine", headers=staff.headers()).get_json()["shops"] == []


def test_staff_cannot_remove_anyone(shops, seller):
    shop = shops.open_shop(seller)
    staff, other = add_staff(shops, seller, shop["id"]), add_staff(shops, seller, shop["id"], "Jo")

    for target in (seller.user_id, other.user_id, staff.user_id):
        response = remove(shops, staff, shop["id"], target)
        assert response.status_code == 403, target

    assert member_ids(shops, seller, shop["id"]) == {
        seller.user_id,
        staff.user_id,
        other.user_id,
    }


def test_the_last_owner_cannot_be_removed(shops, seller):
    shop = shops.open_shop(seller)
    add_staff(shops, seller, shop["id"])

    response = remove(shops, seller, shop["id"], seller.user_id)

    assert response.status_code == 409
    assert response.get_json()["error"] == "the shop's last owner cannot be removed"
    assert shops.get(ShopMember, (shop["id"], seller.user_id)).role == "owner"


def test_one_of_two_owners_can_be_removed_but_not_the_second(shops, seller):
    shop = shops.open_shop(seller)
    partner = make_seller("Partner")
    # The API only adds staff; a second owner comes from the database, as a transfer would.
    with shops.runtime.session_factory.begin() as session:
        session.add(ShopMember(shop_id=shop["id"], user_id=partner.user_id, role="owner"))

    assert remove(shops, partner, shop["id"], seller.user_id).status_code == 204
    assert remove(shops, partner, shop["id"], partner.user_id).status_code == 409
    assert member_ids(shops, partner, shop["id"]) == {partner.user_id}


def test_an_unknown_member_is_404_and_another_shops_owner_learns_nothing(shops, seller):
    shop = shops.open_shop(seller)
    staff = add_staff(shops, seller, shop["id"])
    stranger = make_seller("Stranger")
    shops.open_shop(stranger, name="Elsewhere")

    unknown = remove(shops, seller, shop["id"], "nobody-here")
    intruder = remove(shops, stranger, shop["id"], staff.user_id)

    assert (unknown.status_code, unknown.get_json()["error"]) == (
        404,
        "no such member in this shop",
    )
    assert intruder.status_code == 404
    assert "no such shop" in intruder.get_json()["error"]
    assert shops.client.delete(f"/shops/{shop['id']}/members/{staff.user_id}").status_code == 401
    assert staff.user_id in member_ids(shops, seller, shop["id"])


def test_an_accepted_invitation_joins_only_through_the_gateway(shops, seller):
    shop = shops.open_shop(seller)
    staff = add_staff(shops, seller, shop["id"])
    lou = make_seller("Lou")
    path = f"/shops/{shop['id']}/members/invited"

    as_a_person = shops.client.post(
        path, json={"user_id": lou.user_id, "invited_by": seller.user_id}, headers=seller.headers()
    )
    by_staff = shops.client.post(
        path,
        json={"user_id": lou.user_id, "invited_by": staff.user_id},
        headers=support.service_header(),
    )
    by_a_stranger = shops.client.post(
        path,
        json={"user_id": lou.user_id, "invited_by": "nobody"},
        headers=support.service_header(),
    )
    assert (as_a_person.status_code, by_staff.status_code, by_a_stranger.status_code) == (
        403,
        403,
        404,
    )
    assert lou.user_id not in member_ids(shops, seller, shop["id"])

    joined = shops.client.post(
        path,
        json={"user_id": lou.user_id, "invited_by": seller.user_id},
        headers=support.service_header(),
    )

    assert joined.status_code == 201
    assert lou.user_id in member_ids(shops, seller, shop["id"])
