"""The shop's orders and customers as CSV, from the shop's own orders only."""

from __future__ import annotations

import csv
import io

import pytest

from services.common.contracts import Buyer
from tests.shops.conftest import make_seller, order_placed

pytestmark = pytest.mark.integration


def rows(shops, seller, shop_id: str, name: str) -> list[dict[str, str]]:
    response = shops.client.get(f"/shops/{shop_id}/export/{name}", headers=seller.headers())
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_orders_and_customers_exports_sum_each_buyers_orders(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=5)
    ada, bo = Buyer(user_id="u-ada", name="Ada Reader"), Buyer(user_id="u-bo", name="Bo Page")
    placed = [order_placed(shop["id"], [(listing, 1)], buyer=buyer) for buyer in (ada, ada, bo)]
    for event in placed:
        shops.deliver(event)
    for event in placed[:2]:
        shops.client.post(
            f"/shops/{shop['id']}/orders/{event.shop_order_id}/accept", headers=seller.headers()
        )
    other = make_seller()
    other_shop = shops.open_shop(other, name="Elsewhere")
    elsewhere = shops.add_listing(other, other_shop["id"])
    shops.deliver(order_placed(other_shop["id"], [(elsewhere, 1)], buyer=ada))

    orders = rows(shops, seller, shop["id"], "orders.csv")
    customers = {row["buyer_name"]: row for row in rows(shops, seller, shop["id"], "customers.csv")}

    assert sorted(row["status"] for row in orders) == ["accepted", "accepted", "pending"]
    assert orders[0]["total"] == "17.00"  # 12.50 and 4.50 shipping
    assert (customers["Ada Reader"]["orders"], customers["Ada Reader"]["total_spent"]) == (
        "2",
        "34.00",
    )
    # A pending order's payment is authorized: it counts until declined or cancelled.
    assert (customers["Bo Page"]["orders"], customers["Bo Page"]["total_spent"]) == ("1", "17.00")
    assert customers["Ada Reader"]["first_order_at"] <= customers["Ada Reader"]["last_order_at"]
