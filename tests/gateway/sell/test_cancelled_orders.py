"""A buyer's cancellation: the buyer's form sends the reason on, and the shop reads why.

Against fake services (tests/gateway/fakes.py, fakes_orders.py). The reason's way from the
orders service to the shop's part is tested in tests/orders/test_cancel_reason.py and
tests/saga/test_cancellation_request.py.
"""

from __future__ import annotations

from tests.gateway.fakes import an_order, order_page_answers
from tests.gateway.helpers import post_form, sign_up, text
from tests.gateway.sell.fakes_orders import a_seller_order, seller_order_answers

CANCEL = "/orders/order-1/parts/part-1/cancel"


def cancelled(reason: str | None) -> dict:
    return a_seller_order(
        status="cancelled",
        cancelled_at="2026-12-01T11:00:00+00:00",
        cancel_reason=reason,
        can_propose_extra_charge=False,
    )


def test_the_shop_reads_the_reason_a_buyer_gave_for_cancelling(portal, fakes):
    seller_order_answers(fakes, cancelled("Found it at the library."))

    page = text(portal.get("/sell/orders/so-1"))

    assert 'id="cancelled-why"' in page and "status-cancelled" in page
    assert "before you accepted it: Found it at the library." in page
    assert 'id="accept-order"' not in page and 'id="extra-charge-form"' not in page


def test_a_cancellation_without_a_reason_says_only_that_it_was_cancelled(portal, fakes):
    seller_order_answers(fakes, cancelled(None))

    page = text(portal.get("/sell/orders/so-1"))

    assert "The buyer cancelled this order before you accepted it. Its stock" in page


def test_the_buyers_cancel_form_sends_the_reason_trimmed_and_none_when_left_empty(app, fakes):
    buyer = app.test_client()
    assert sign_up(buyer, email="ben@example.org", display_name="Ben Buyer").status_code == 302
    order = an_order(status="pending")
    order_page_answers(fakes, order)
    fakes.on("POST", CANCEL, order)  # the service answers with the order as it is

    with_reason = post_form(buyer, CANCEL, {"reason": "  Found it at the library. "}, page="/")
    without = post_form(buyer, CANCEL, {"reason": "   "}, page="/")

    assert with_reason.status_code == without.status_code == 302
    assert with_reason.headers["Location"] == "/orders/order-1#part-part-1"
    assert fakes.sent("POST", CANCEL) == [{"reason": "Found it at the library."}, None]
    assert "Your request to cancel is sent to the shop." in text(buyer.get("/orders/order-1"))
