"""A shop ships only goods whose money the orders side has captured.

The orders side owns the money: it captures when it applies the shop's acceptance, then
tells the shop (order.payment_captured, or order.payment_failed). Until then the shop's
ship button answers 409, and after a failed capture it never ships: its order is
cancelled and its stock is back on the shelf.
"""

from __future__ import annotations

import pytest

from tests import support
from tests.saga.conftest import CAPTURE_FAILS, Saga

pytestmark = pytest.mark.integration


def test_capture_failing_after_the_shop_accepted_stops_the_parcel(saga: Saga):
    order = saga.checkout("ada", card=CAPTURE_FAILS)
    part_id = order["parts"][0]["shop_order_id"]
    with saga.workers():
        support.wait_for(lambda: saga.seller_view(part_id).get("status") == "pending")
        stock_while_reserved = saga.stock()

        accepted = saga.seller_does(part_id, "accept")
        # Accepted here, not yet captured over there: the parcel must wait.
        too_soon = saga.ship(part_id)

        support.wait_for(lambda: saga.seller_view(part_id)["payment"] == "failed")
        too_late = saga.ship(part_id)
        shown = saga.seller_view(part_id)
        buyer_sees = support.wait_for(
            lambda: (part := saga.buyer_part("ada", order))["status"] == "payment_failed" and part
        )

    assert accepted.status_code == 200
    assert accepted.get_json()["payment"] == "waiting"
    assert accepted.get_json()["ready_to_ship"] is False
    assert too_soon.status_code == 409
    assert "payment for this order is not confirmed yet" in too_soon.get_json()["error"]
    assert too_late.status_code == 409
    assert "payment for this order failed: do not ship it" in too_late.get_json()["error"]
    assert shown["status"] == "cancelled"
    assert shown["ready_to_ship"] is False
    assert "payment failed" in shown["cancel_reason"]
    assert saga.stock() == stock_while_reserved + 1  # the copy is back on the shelf
    assert buyer_sees["payments"]["voided"]["amount"] == buyer_sees["total"]["amount"]
    assert buyer_sees["payments"]["captured"]["amount"] == 0
    assert saga.parts()[part_id] | {"authorized": None} == {
        "orders": "payment_failed",
        "shops": "cancelled",
        "payment": "failed",
        "authorized": None,
        "captured": 0,
        "voided": buyer_sees["total"]["amount"],
        "refunded": 0,
    }
    assert saga.conflicts() == []


def test_the_shop_ships_once_the_payment_is_confirmed(saga: Saga):
    order = saga.checkout("ada")
    part_id = order["parts"][0]["shop_order_id"]
    with saga.workers():
        support.wait_for(lambda: saga.seller_view(part_id).get("status") == "pending")
        saga.seller_does(part_id, "accept")
        confirmed = support.wait_for(
            lambda: (view := saga.seller_view(part_id))["payment"] == "confirmed" and view
        )
        shipped = saga.ship(part_id)
        support.wait_for(lambda: saga.buyer_part("ada", order)["status"] == "shipped")

    assert confirmed["ready_to_ship"] is True
    assert shipped.status_code == 200, shipped.get_json()
    part = saga.parts()[part_id]
    assert (part["orders"], part["shops"], part["payment"]) == ("shipped", "shipped", "captured")
    assert part["captured"] == part["authorized"] and part["voided"] == 0
    [captured] = saga.outbox("order.payment_captured")
    assert captured["amount"] == {"amount": part["captured"], "currency": "EUR"}
