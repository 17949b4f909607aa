"""A seller of shop A can neither see nor change anything of shop B."""

from __future__ import annotations

import pytest

from services.common.auth import Operator, issue_operator_token
from services.shops.db import Listing, OutboxMessage, Shop, ShopOrder, UploadJob
from tests import support
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
    upload = shops.client.post(
        f"/shops/{shop_b['id']}/uploads",
        data=b"sku,title,price\nB-1,Kept,3\n",
        headers=seller_b.headers(),
        content_type="text/csv",
    )
    shop_b |= {
        "listing_id": listing_b["id"],
        "upload_id": upload.get_json()["id"],
        "buyer_id": order_b.buyer.user_id,
        "owner_id": seller_b.user_id,
    }
    return seller_a, shop_a, shop_b, order_b


def shop_b_requests(shop_b: dict, order_id: str) -> list[tuple[str, str, dict | None]]:
    base = f"/shops/{shop_b['id']}"
    listing = shop_b["listing_id"]
    return [
        ("PATCH", base, {"name": "Taken over"}),
        ("GET", f"{base}/members", None),
        ("POST", f"{base}/members", {"user_id": "intruder", "role": "staff"}),
        ("DELETE", f"{base}/members/{shop_b['owner_id']}", None),
        ("GET", f"{base}/listings", None),
        ("POST", f"{base}/listings", listing_body()),
        ("PATCH", f"{base}/listings/{listing}", {"title": "Mine"}),
        ("DELETE", f"{base}/listings/{listing}", None),
        ("POST", f"{base}/listings/bulk", {"listing_ids": [listing], "set_price": 1}),
        ("POST", f"{base}/uploads", None),
        ("GET", f"{base}/uploads", None),
        ("GET", f"{base}/uploads/{shop_b['upload_id']}", None),
        ("GET", f"{base}/export/inventory.csv", None),
        ("GET", f"{base}/export/orders.csv", None),
        ("GET", f"{base}/export/customers.csv", None),
        ("GET", f"{base}/orders", None),
        ("GET", f"{base}/orders/{order_id}", None),
        ("POST", f"{base}/orders/{order_id}/accept", None),
        ("POST", f"{base}/orders/{order_id}/decline", {"reason": "no"}),
        ("POST", f"{base}/orders/{order_id}/ship", {"note": "hello"}),
        ("GET", f"{base}/customers", None),
        ("GET", f"{base}/customers/{shop_b['buyer_id']}", None),
        ("PATCH", f"{base}/customers/{shop_b['buyer_id']}", {"notes": "mine", "tags": ["x"]}),
    ]


def test_member_of_shop_a_gets_404_on_every_shop_b_endpoint(shops, two_shops):
    seller_a, _shop_a, shop_b, order_b = two_shops
    before = (shops.count(Listing), shops.count(OutboxMessage), shops.count(UploadJob))

    for method, url, body in shop_b_requests(shop_b, order_b.shop_order_id):
        response = shops.client.open(url, method=method, json=body, headers=seller_a.headers())
        assert response.status_code == 404, (method, url)
        assert "no such shop" in response.get_json()["error"], (method, url)

    assert (shops.count(Listing), shops.count(OutboxMessage), shops.count(UploadJob)) == before
    assert shops.get(Shop, shop_b["id"]).name == "Shop B"
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


def test_shop_a_cannot_reach_shop_b_things_through_its_own_urls(shops, two_shops):
    seller_a, shop_a, shop_b, _order_b = two_shops
    base = f"/shops/{shop_a['id']}"
    for method, url, body in [
        ("PATCH", f"{base}/listings/{shop_b['listing_id']}", {"title": "Mine"}),
        ("DELETE", f"{base}/listings/{shop_b['listing_id']}", None),
        ("POST", f"{base}/listings/bulk", {"listing_ids": [shop_b["listing_id"]], "set_price": 1}),
        ("GET", f"{base}/uploads/{shop_b['upload_id']}", None),
    ]:
        response = shops.client.open(url, method=method, json=body, headers=seller_a.headers())
        assert response.status_code == 404, (method, url)
    assert shops.get(Listing, shop_b["listing_id"]).title == "The Name of the Rose"


def test_an_operators_token_reaches_no_shops_member_endpoint(shops, two_shops):
    # The operator settles disputes; a shop's stock, orders and customer book stay the shop's.
    _seller_a, _shop_a, shop_b, order_b = two_shops
    token = issue_operator_token(Operator("op-1", "Olive"), secret=support.SECRET)
    before = (shops.count(Listing), shops.count(OutboxMessage), shops.count(UploadJob))

    for method, url, body in shop_b_requests(shop_b, order_b.shop_order_id):
        response = shops.client.open(
            url, method=method, json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code in (401, 403, 404), (method, url, response.status_code)

    assert (shops.count(Listing), shops.count(OutboxMessage), shops.count(UploadJob)) == before
