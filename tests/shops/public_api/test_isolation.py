"""A token of shop A can neither read nor change anything of shop B."""

from __future__ import annotations

import pytest

from tests.shops.conftest import order_placed
from tests.shops.public_api.conftest import item

pytestmark = pytest.mark.integration


def test_a_token_of_shop_a_cannot_read_or_change_shop_b(shop_a, shop_b):
    assert shop_b.call("POST", "/listings", json=item("B-1", quantity=4)).status_code == 201
    listing = shop_b.call("GET", "/listings/B-1").get_json()
    event = order_placed(shop_b.shop["id"], [(listing, 1)])
    shop_b.shops.deliver(event)
    order = f"/orders/{event.shop_order_id}"
    before = shop_b.call("GET", "/listings/B-1").get_json()

    assert shop_a.call("GET", "/listings").get_json()["listings"] == []
    assert shop_a.call("GET", "/orders").get_json()["orders"] == []
    for method, path, body in [
        ("GET", "/listings/B-1", None),
        ("PATCH", "/listings/B-1", {"quantity": 0}),
        ("POST", "/listings/B-1/stock", {"delta": -1}),
        ("DELETE", "/listings/B-1", None),
        ("GET", order, None),
        ("POST", order + "/accept", None),
        ("POST", order + "/decline", {"reason": "no"}),
        ("POST", order + "/ship", {"note": "x"}),
        ("POST", order + "/extra-charge", {"amount": 100, "reason": "heavy"}),
    ]:
        response = shop_a.call(method, path, json=body)
        assert response.status_code == 404, (method, path, response.get_json())

    # Shop A's "B-1" is its own listing, never shop B's.
    shop_a.call("POST", "/listings/bulk", json={"listings": [item("B-1", quantity=1)]})
    assert shop_b.call("GET", "/listings/B-1").get_json() == before
    assert shop_b.call("GET", order).get_json()["status"] == "pending"
