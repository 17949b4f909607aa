"""A seller of shop A can neither see nor change anything of shop B."""

from __future__ import annotations

import pytest

from services.shops.db import Listing, OutboxMessage, ShopOrder
from tests.shops.conftest import listing_body, make_seller, order_placed

pytestmark = pytest.mark.integration


@pytest.fixture
def two_shops(shops):
    """Shop A with its seller; shop B with a listing and a pending order."""
    seller_a, seller_b = make_seller("Alice"), make_seller("Bob")
    shop_a = shops.open_shop(seller_a, name="Shop A")
    shop_b = shops.open_shop(seller_b, name="Shop B")
    listing_b = shops.add_listing(seller_b, shop_b["id"])
    order_b = order_placed(shop_b["id"], [(listing_b, 1)])
    shops.deliver(order_b)
    return seller_a, shop_a, shop_b, order_b


def shop_b_requests(shop_b: dict, order_id: str) -> list[tuple[str, str, dict | None]]:
    base = f"/shops/{shop_b['id']}"
    return [
        ("GET", f"{base}/listings", None),
        ("POST", f"{base}/listings", listing_body()),
        ("GET", f"{base}/orders", None),
        ("GET", f"{base}/orders/{order_id}", None),
        ("POST", f"{base}/orders/{order_id}/accept", None),
        ("POST", f"{base}/orders/{order_id}/decline", {"reason": "no"}),
        ("POST", f"{base}/orders/{order_id}/ship", {"note": "hello"}),
    ]


def test_member_of_shop_a_gets_404_on_every_shop_b_endpoint(shops, two_shops):
    seller_a, _shop_a, shop_b, order_b = two_shops
    before = (shops.count(Listing), shops.count(OutboxMessage))

    for method, url, body in shop_b_requests(shop_b, order_b.shop_order_id):
        response = shops.client.open(url, method=method, json=body, headers=seller_a.headers())
        assert response.status_code == 404, (method, url)
        assert "no such shop" in response.get_json()["error"], (method, url)

    assert (shops.count(Listing), shops.count(OutboxMessage)) == before
    assert shops.get(ShopOrder, order_b.shop_order_id).status == "pending"


def test_shop_b_order_through_shop_a_url_is_404(shops, two_shops):
    seller_a, shop_a, _shop_b, order_b = two_shops
    url = f"/shops/{shop_a['id']}/orders/{order_b.shop_order_id}"
    for method, suffix, body in [
        ("GET", "", None),
        ("POST", "/accept", None),
        ("POST", "/decline", {"reason": "no"}),
        ("POST", "/ship", {"note": "hello"}),
    ]:
        response = shops.client.open(
            url + suffix, method=method, json=body, headers=seller_a.headers()
        )
        assert response.status_code == 404, suffix
        assert response.get_json()["error"] == "no such order in this shop"
    assert shops.get(ShopOrder, order_b.shop_order_id).status == "pending"


def test_every_member_endpoint_needs_a_token(shops, two_shops):
    _seller_a, _shop_a, shop_b, order_b = two_shops
    requests = shop_b_requests(shop_b, order_b.shop_order_id) + [("GET", "/shops/mine", None)]
    for method, url, body in requests:
        response = shops.client.open(url, method=method, json=body)
        assert response.status_code == 401, (method, url)


def test_a_forged_token_is_401(shops, two_shops):
    _seller_a, _shop_a, shop_b, _order_b = two_shops
    response = shops.client.get(
        f"/shops/{shop_b['id']}/listings", headers={"Authorization": "Bearer not-a-token"}
    )
    assert response.status_code == 401
