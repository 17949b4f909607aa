"""The buyer's orders over HTTP: each visible to its buyer only."""

from __future__ import annotations

import pytest

from tests import support
from tests.orders.factories import listing

pytestmark = pytest.mark.integration


def test_get_order_returns_the_buyers_order(orders):
    order = orders.order_in_cart("ada")

    response = orders.client.get(f"/orders/{order['id']}", headers=support.auth_header("ada"))

    assert response.status_code == 200
    assert response.get_json() == order


def test_get_order_of_someone_else_is_404(orders):
    order = orders.order_in_cart("ada")

    response = orders.client.get(f"/orders/{order['id']}", headers=support.auth_header("eve"))

    assert response.status_code == 404
    assert order["id"] not in response.get_data(as_text=True)


def test_get_orders_lists_only_the_callers_newest_first(orders):
    first = orders.order_in_cart("ada")
    orders.add_to_cart("ada", orders.listings.add(listing()))
    second = orders.checkout("ada", key="key-2").get_json()
    orders.order_in_cart("bob")

    response = orders.client.get("/orders", headers=support.auth_header("ada"))

    assert [o["id"] for o in response.get_json()["orders"]] == [second["id"], first["id"]]
