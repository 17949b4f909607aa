"""The shop's orders and customers as CSV, from the shop's own orders only."""

from __future__ import annotations

import csv
import io

import pytest

from services.common.contracts import Buyer, OrderPaymentCaptured
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


FORMULAS = ('=HYPERLINK("http://evil.example","Click")', "+1+1", "-2+3", "@SUM(A1)")


def test_orders_export_never_writes_a_live_formula(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=5)
    buyer = Buyer(user_id="u-eve", name=FORMULAS[0])
    declined = order_placed(shop["id"], [(listing, 1)], buyer=buyer)
    shipped = order_placed(shop["id"], [(listing, 1)], buyer=buyer)
    for event in (declined, shipped):
        shops.deliver(event)
    orders_path = f"/shops/{shop['id']}/orders"
    shops.client.post(
        f"{orders_path}/{declined.shop_order_id}/decline",
        json={"reason": FORMULAS[2]},
        headers=seller.headers(),
    )
    shops.client.post(f"{orders_path}/{shipped.shop_order_id}/accept", headers=seller.headers())
    shops.deliver(
        OrderPaymentCaptured(
            order_id=shipped.order_id,
            shop_order_id=shipped.shop_order_id,
            shop_id=shipped.shop_id,
            amount=shipped.subtotal,
        )
    )
    shops.client.post(
        f"{orders_path}/{shipped.shop_order_id}/ship",
        json={"note": "Thanks!", "carrier": FORMULAS[1], "tracking_number": FORMULAS[3]},
        headers=seller.headers(),
    )

    orders = rows(shops, seller, shop["id"], "orders.csv")
    cells = [cell for row in orders for cell in row.values()]

    assert {row["buyer_name"] for row in orders} == {"'" + FORMULAS[0]}
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    by_status = {row["status"]: row for row in orders}
    assert by_status["declined"]["decline_reason"] == "'" + FORMULAS[2]
    shipped_row = next(row for row in orders if row["carrier"])
    assert shipped_row["carrier"] == "'" + FORMULAS[1]
    assert shipped_row["tracking_number"] == "'" + FORMULAS[3]


def test_inventory_export_neutralises_formulas_and_uploads_back_unchanged(shops, seller):
    shop = shops.open_shop(seller)
    for n, formula in enumerate((*FORMULAS, "'Tis the season", "''quoted")):
        shops.add_listing(
            seller,
            shop["id"],
            sku=f"F-{n}",
            title=formula,
            author=formula,
            description=f"{formula} (a description)",
        )
    export = shops.client.get(f"/shops/{shop['id']}/export/inventory.csv", headers=seller.headers())
    exported = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    before = shops.get_listing_revisions(shop["id"])

    job = shops.upload(seller, shop["id"], export.get_data(as_text=True))

    assert [
        cell for row in exported for cell in row.values() if cell[:1] in ("=", "+", "-", "@")
    ] == []
    assert {row["title"] for row in exported} >= {"'" + formula for formula in FORMULAS}
    assert (job["rows_unchanged"], job["rows_rejected"]) == (len(FORMULAS) + 2, 0)
    assert shops.get_listing_revisions(shop["id"]) == before
    stored = shops.client.get(f"/shops/{shop['id']}/listings", headers=seller.headers())
    assert {listing["title"] for listing in stored.get_json()["listings"]} == {
        *FORMULAS,
        "'Tis the season",
        "''quoted",
    }
