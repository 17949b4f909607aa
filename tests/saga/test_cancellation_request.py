"""A buyer's cancellation is a request the shop side decides; the orders side follows.

Granted while the shop has not accepted (its stock goes back, the money is voided);
refused once it has (the part goes on, its money is captured, the buyer is told). A
cancel crossing a shop's accept on the wire ends in one state on both sides.
"""

from __future__ import annotations

import pytest

from tests import support
from tests.saga.conftest import Saga

pytestmark = pytest.mark.integration


def test_a_cancel_crossing_the_shops_accept_ends_in_one_state_with_the_right_money(saga: Saga):
    order = saga.checkout("ada")
    part_id = order["parts"][0]["shop_order_id"]
    with saga.workers():
        support.wait_for(lambda: saga.seller_view(part_id).get("status") == "pending")
    # The workers are stopped: the shop's accept and the buyer's cancel cross on the wire,
    # each side acting on what it knows.
    accepted = saga.seller_does(part_id, "accept")
    shipped_at_once = saga.ship(part_id)
    asked = saga.ask_to_cancel("ada", order, reason="Found it cheaper")

    with saga.workers():
        support.wait_for(lambda: saga.seller_view(part_id)["payment"] == "confirmed")
        shipped = saga.ship(part_id)
        buyer_sees = support.wait_for(
            lambda: (
                (part := saga.buyer_part("ada", order))["status"] == "shipped"
                and "cancel_refused" in [step["status"] for step in part["timeline"]]
                and part
            )
        )

    assert accepted.status_code == 200
    assert shipped_at_once.status_code == 409  # not before the money is captured
    assert asked.status_code == 202
    assert asked.get_json()["parts"][0]["status"] == "placed"  # the shop decides
    assert shipped.status_code == 200, shipped.get_json()
    part = saga.parts()[part_id]
    assert (part["orders"], part["shops"], part["payment"]) == ("shipped", "shipped", "captured")
    assert part["captured"] == part["authorized"] > 0
    assert part["voided"] == 0
    steps = [step["status"] for step in buyer_sees["timeline"]]
    # By when each happened: the shop had accepted before the buyer asked.
    assert steps == ["placed", "accepted", "cancel_requested", "cancel_refused", "shipped"]
    refused = next(step for step in buyer_sees["timeline"] if step["status"] == "cancel_refused")
    assert "had already accepted" in refused["note"]
    assert saga.conflicts() == []


def test_a_cancel_before_the_shop_accepts_is_granted_and_voids_the_money(saga: Saga):
    order = saga.checkout("ada")
    part_id = order["parts"][0]["shop_order_id"]
    with saga.workers():
        support.wait_for(lambda: saga.seller_view(part_id).get("status") == "pending")
        reserved = saga.stock()
        asked = saga.ask_to_cancel("ada", order, reason="Ordered the wrong edition")
        shop_sees = support.wait_for(
            lambda: (view := saga.seller_view(part_id))["status"] == "cancelled" and view
        )
        late_accept = saga.seller_does(part_id, "accept")
        buyer_sees = support.wait_for(
            lambda: (part := saga.buyer_part("ada", order))["status"] == "cancelled" and part
        )

    assert asked.status_code == 202
    assert shop_sees["cancel_reason"] == "Ordered the wrong edition"
    assert late_accept.status_code == 409
    assert saga.stock() == reserved + 1
    assert buyer_sees["payments"]["voided"]["amount"] == buyer_sees["total"]["amount"]
    assert buyer_sees["payments"]["captured"]["amount"] == 0
    assert [step["status"] for step in buyer_sees["timeline"]] == [
        "placed",
        "cancel_requested",
        "cancelled",
    ]
    part = saga.parts()[part_id]
    assert (part["orders"], part["shops"]) == ("cancelled", "cancelled")
    assert saga.conflicts() == []
