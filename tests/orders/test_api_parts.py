"""The buyer's actions on a part (cancel, received) and the shop's statement, over HTTP."""

from __future__ import annotations

import json

import pytest

from services.common.contracts import ShopOrderAccepted, wrap
from services.orders import db
from tests import support
from tests.orders.conftest import OrdersService
from tests.orders.factories import eur, listing
from tests.orders.test_payments import until
from tests.orders.test_worker import about, publish, shipped

pytestmark = pytest.mark.integration


def part_url(order: dict, part: dict, action: str) -> str:
    return f"/orders/{order['id']}/parts/{part['shop_order_id']}/{action}"


def act(service: OrdersService, order: dict, part: dict, action: str, user: str = "ada"):
    return service.client.post(part_url(order, part, action), headers=support.auth_header(user))


def two_shop_order(service: OrdersService) -> dict:
    a = service.listings.add(listing(shop_id="a", price=eur(1000)))
    b = service.listings.add(listing(shop_id="b", price=eur(600)))
    return service.order_in_cart("ada", a, b)


def test_cancel_part_asks_the_shop_and_keeps_the_money_held_until_it_answers(orders):
    order = two_shop_order(orders)
    part_a, part_b = order["parts"]

    response = orders.client.post(
        part_url(order, part_a, "cancel"),
        json={"reason": "Bought it at the fair meanwhile"},
        headers=support.auth_header("ada"),
    )
    again = act(orders, order, part_a, "cancel")

    assert response.status_code == 202
    shown_a, shown_b = response.get_json()["parts"]
    # The shop side decides; until it answers the part stays placed, its money held.
    assert shown_a["status"] == "placed"
    assert shown_a["cancellation_requested"] is True
    assert shown_a["cancel_reason"] == "Bought it at the fair meanwhile"
    assert shown_a["can_cancel"] is False
    assert [entry["status"] for entry in shown_a["timeline"]] == ["placed", "cancel_requested"]
    assert shown_a["payments"]["voided"]["amount"] == 0
    assert shown_b["cancellation_requested"] is False
    assert again.status_code == 202
    assert not [row for row in orders.outbox() if row.event_type == "order.cancelled"]
    requested = [row for row in orders.outbox() if row.event_type == "order.cancellation_requested"]
    assert len(requested) == 1
    payload = json.loads(requested[0].body)["payload"]
    assert (payload["shop_order_id"], payload["shop_id"]) == (part_a["shop_order_id"], "a")
    assert payload["reason"] == "Bought it at the fair meanwhile"


def test_cancel_part_with_a_malformed_body_is_422_and_asks_nothing(orders_on_sqlite):
    order = two_shop_order(orders_on_sqlite)

    response = orders_on_sqlite.client.post(
        part_url(order, order["parts"][0], "cancel"),
        json={"reason": "x" * 501},
        headers=support.auth_header("ada"),
    )

    assert response.status_code == 422
    assert "reason" in response.get_json()["fields"]
    assert not [
        row for row in orders_on_sqlite.outbox() if row.event_type == "order.cancellation_requested"
    ]


def test_cancel_part_after_the_shop_accepted_is_409(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part_a = order["parts"][0]
    publish(service, wrap(about(part_a, order, ShopOrderAccepted)))
    until(service, order, lambda page: page["parts"][0]["status"] == "accepted")

    response = act(service, order, part_a, "cancel")

    assert response.status_code == 409
    assert "before the shop accepts it" in response.get_json()["error"]
    assert not [
        row
        for row in service.outbox()
        if row.event_type in ("order.cancelled", "order.cancellation_requested")
    ]


def test_cancel_part_of_someone_elses_order_is_404(orders_on_sqlite):
    order = two_shop_order(orders_on_sqlite)

    response = act(orders_on_sqlite, order, order["parts"][0], "cancel", user="mallory")

    assert response.status_code == 404
    assert orders_on_sqlite.count(db.TimelineEntry) == 2


def test_mark_received_after_shipping_makes_the_part_delivered(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part_a = order["parts"][0]
    too_early = act(service, order, part_a, "received")
    publish(service, wrap(shipped(part_a, order)))
    until(service, order, lambda page: page["parts"][0]["status"] == "shipped")

    response = act(service, order, part_a, "received")

    assert too_early.status_code == 409
    assert response.status_code == 200
    shown = response.get_json()["parts"][0]
    assert shown["status"] == "delivered"
    assert [entry["status"] for entry in shown["timeline"]] == [
        "placed",
        "accepted",
        "shipped",
        "delivered",
    ]
    assert act(service, order, part_a, "received").status_code == 200


def test_statement_shows_sales_commission_and_weeks_to_members_only(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part_a = order["parts"][0]
    publish(service, wrap(about(part_a, order, ShopOrderAccepted)))
    until(service, order, lambda page: page["parts"][0]["status"] == "accepted")
    member = support.auth_header("seller", shops=("a",))

    statement = service.client.get("/shops/a/statement", headers=member)
    csv = service.client.get("/shops/a/statement.csv", headers=member)
    summary = service.client.get("/shops/a/orders-summary", headers=member)
    stranger = service.client.get("/shops/a/statement", headers=support.auth_header("seller-b"))

    assert statement.status_code == 200
    body = statement.get_json()
    assert body["totals"] == [
        {"currency": "EUR", "sales": 1000, "refunds": 0, "commission": 100, "net": 900, "parts": 1}
    ]
    [week] = body["weeks"]
    assert week["week"].startswith(order["placed_at"][:4]) and "-W" in week["week"]
    assert csv.mimetype == "text/csv"
    assert (
        csv.get_data(as_text=True).splitlines()[0]
        == "week,currency,parts,sales,refunds,commission,net"
    )
    assert csv.get_data(as_text=True).splitlines()[1].endswith(",EUR,1,1000,0,100,900")
    assert summary.get_json()["by_status"] == {"accepted": 1}
    assert stranger.status_code == 404
