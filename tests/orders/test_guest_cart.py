"""A signed-out shopper's cart joins their account's cart when they log in or sign up."""

from __future__ import annotations

import pytest

from services.orders.domain.money import Money
from tests import support
from tests.orders.factories import eur, listing

pytestmark = pytest.mark.integration

GUEST = "guest:Zq3dF9vV0dGkP2xA"


def cart_of(service, user: str) -> dict:  # noqa: ANN001
    return service.client.get("/cart", headers=support.auth_header(user)).get_json()


def merge(service, user: str, guest: str = GUEST):  # noqa: ANN001, ANN201
    return service.client.post(
        "/cart/merge", json={"guest_cart": guest}, headers=support.auth_header(user)
    )


def test_a_guest_cart_joins_the_account_cart_and_is_gone(orders):
    a = orders.listings.add(listing(shop_id="a", price=eur(1000)))
    b = orders.listings.add(listing(shop_id="b", price=eur(600)))
    c = orders.listings.add(listing(shop_id="b", price=eur(450)))
    orders.add_to_cart(GUEST, a)
    orders.add_to_cart(GUEST, b, quantity=2)
    orders.add_to_cart("ada", b)
    orders.add_to_cart("ada", c)

    response = merge(orders, "ada")
    again = merge(orders, "ada")

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["merged"] == 2
    lines = {line["listing_id"]: line["quantity"] for line in cart_of(orders, "ada")["lines"]}
    assert lines == {a.id: 1, b.id: 2, c.id: 1}
    assert cart_of(orders, GUEST)["lines"] == []
    assert again.status_code == 200 and again.get_json()["merged"] == 0


def test_only_a_guest_cart_merges_and_only_into_an_account(orders):
    a = orders.listings.add(listing(shop_id="a", price=eur(1000)))
    orders.add_to_cart("bob", a)

    from_an_account = merge(orders, "ada", guest="bob")
    into_a_guest = merge(orders, "guest:other", guest=GUEST)

    assert from_an_account.status_code == 422
    assert into_a_guest.status_code == 422
    assert len(cart_of(orders, "bob")["lines"]) == 1


def test_a_guest_line_in_another_currency_is_left_out_and_named(orders):
    euros = orders.listings.add(listing(shop_id="a", price=eur(1000)))
    pounds = orders.listings.add(listing(shop_id="b", title="Emma", price=Money(800, "GBP")))
    orders.add_to_cart("ada", euros)
    orders.add_to_cart(GUEST, pounds)

    response = merge(orders, "ada")

    assert response.get_json()["left_out"] == ["Emma"]
    assert [line["listing_id"] for line in cart_of(orders, "ada")["lines"]] == [euros.id]
    assert cart_of(orders, GUEST)["lines"] == []
