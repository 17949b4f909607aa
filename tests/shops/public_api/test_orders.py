"""The public API's orders: their state, and the shop's answers."""

from __future__ import annotations

import pytest

from services.common.contracts import OrderPaymentCaptured
from tests.shops.conftest import order_placed
from tests.shops.public_api.conftest import item

pytestmark = pytest.mark.integration


def test_orders_are_listed_with_their_state(shop_a, placed_order):
    orders = shop_a.call("GET", "/orders").get_json()["orders"]
    assert [(order["id"], order["status"]) for order in orders] == [
        (placed_order.shop_order_id, "pending")
    ]
    assert shop_a.call("GET", "/orders?status=shipped").get_json()["orders"] == []
    assert shop_a.call("GET", "/orders?status=lost").status_code == 400


def test_orders_come_a_page_at_a_time_oldest_first(shop_a):
    shop_a.call("POST", "/listings", json=item("A-1", quantity=10))
    listing = shop_a.call("GET", "/listings/A-1").get_json()
    events = [order_placed(shop_a.shop["id"], [(listing, 1)]) for _ in range(3)]
    for event in events:
        shop_a.shops.deliver(event)
    seen, cursor = [], ""
    while True:
        page = shop_a.call("GET", f"/orders?limit=2&cursor={cursor}").get_json()
        seen += [order["id"] for order in page["orders"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [event.shop_order_id for event in events]


def capture_payment(shop_a, placed_order) -> None:
    shop_a.shops.deliver(
        OrderPaymentCaptured(
            order_id=placed_order.order_id,
            shop_order_id=placed_order.shop_order_id,
            shop_id=placed_order.shop_id,
            amount=placed_order.subtotal,
        )
    )


def test_an_order_is_accepted_then_shipped_with_note_and_tracking(shop_a, placed_order):
    path = f"/orders/{placed_order.shop_order_id}"
    assert shop_a.call("POST", path + "/accept").get_json()["status"] == "accepted"
    capture_payment(shop_a, placed_order)
    order = shop_a.call("GET", path).get_json()
    assert (order["payment"], order["ready_to_ship"]) == ("confirmed", True)
    shipped = shop_a.call(
        "POST",
        path + "/ship",
        json={"note": "Thank you, Ada", "carrier": "La Poste", "tracking_number": "LP123"},
    ).get_json()
    assert (shipped["status"], shipped["tracking_number"]) == ("shipped", "LP123")
    again = shop_a.call("POST", path + "/accept")
    assert again.status_code == 409 and again.mimetype == "application/problem+json"


def test_an_order_ships_only_once_its_payment_is_confirmed(shop_a, placed_order):
    path = f"/orders/{placed_order.shop_order_id}"
    shop_a.call("POST", path + "/accept")
    order = shop_a.call("GET", path).get_json()
    assert (order["payment"], order["ready_to_ship"]) == ("waiting", False)

    early = shop_a.call("POST", path + "/ship", json={"note": "Thanks"})

    assert early.status_code == 409 and early.mimetype == "application/problem+json"
    assert "not confirmed" in early.get_json()["detail"]
    assert shop_a.call("GET", path).get_json()["status"] == "accepted"
    capture_payment(shop_a, placed_order)
    assert shop_a.call("POST", path + "/ship", json={"note": "Thanks"}).status_code == 200


def test_an_order_is_declined_with_a_reason(shop_a, placed_order):
    path = f"/orders/{placed_order.shop_order_id}/decline"
    answer = shop_a.call("POST", path, json={"reason": "sold in the shop this morning"})
    assert answer.get_json()["status"] == "declined"


def test_an_extra_charge_is_proposed(shop_a, placed_order):
    path = f"/orders/{placed_order.shop_order_id}/extra-charge"
    answer = shop_a.call("POST", path, json={"amount": 450, "reason": "heavy parcel"})
    assert answer.status_code == 201
    assert answer.get_json()["extra_charge"]["status"] == "proposed"
