"""The seller's order page: propose an extra charge instead of accepting.

Against fake services (tests/gateway/fakes.py, fakes_orders.py). The shops service's rules
for an extra charge (one open at a time, at most the order's own total) are tested in
tests/shops; here, what the page offers, what the form sends and how a refusal reads.
"""

from __future__ import annotations

from gateway.clients import ServiceError
from tests.gateway.helpers import text
from tests.gateway.sell.fakes_orders import a_seller_order, an_extra_charge, seller_order_answers
from tests.gateway.sell.helpers import submit

ORDER = "/sell/orders/so-1"
SHOPS_EXTRA = "/shops/shop-1/orders/so-1/extra-charge"


def waiting_on_the_buyer(order: dict) -> dict:
    return order | {"extra_charge": an_extra_charge(), "can_propose_extra_charge": False}


def test_a_pending_order_offers_an_extra_charge_beside_accepting(portal, fakes):
    seller_order_answers(fakes, a_seller_order())

    page = text(portal.get(ORDER))

    assert 'id="extra-charge-form"' in page and 'id="accept-order"' in page
    assert "In EUR, at most the order&#39;s total." in page


def test_proposing_sends_the_amount_in_cents_and_the_page_then_waits_for_the_buyer(portal, fakes):
    order = a_seller_order()
    seller_order_answers(fakes, order)
    fakes.on("POST", SHOPS_EXTRA, waiting_on_the_buyer(order))

    response = submit(
        portal, f"{ORDER}/extra-charge", {"extra-amount": "4.50", "extra-reason": "heavy parcel"}
    )

    assert response.status_code == 302 and response.headers["Location"] == ORDER
    assert fakes.sent("POST", SHOPS_EXTRA) == [{"amount": 450, "reason": "heavy parcel"}]
    seller_order_answers(fakes, waiting_on_the_buyer(order))
    page = text(portal.get(ORDER))
    assert "Proposed. The buyer is asked to accept or refuse" in page
    assert 'id="extra-charge-status"' in page and "Waiting for the buyer" in page
    assert "heavy parcel" in page and "€4.50" in page
    assert 'id="accept-order"' not in page  # the buyer answers first
    assert 'id="extra-charge-form"' not in page  # one open proposal at a time


def test_a_blank_or_unreadable_amount_is_a_form_message_and_nothing_is_sent(portal, fakes):
    seller_order_answers(fakes, a_seller_order())

    blank = submit(portal, f"{ORDER}/extra-charge", {"extra-amount": "", "extra-reason": ""})
    words = submit(portal, f"{ORDER}/extra-charge", {"extra-amount": "a lot", "extra-reason": "x"})

    assert blank.status_code == words.status_code == 400
    assert "How much more should the buyer pay?" in text(blank)
    assert "Tell the buyer why" in text(blank)
    assert 'id="extra-amount-error"' in text(words)
    assert fakes.writes() == []


def test_an_amount_the_service_refuses_is_said_beside_the_amount(portal, fakes):
    seller_order_answers(fakes, a_seller_order())
    reason = "the extra charge can be at most the order's own total (items and shipping)"
    fakes.on("POST", SHOPS_EXTRA, ServiceError(422, reason, {"amount": reason}))

    huge = submit(portal, f"{ORDER}/extra-charge", {"extra-amount": "999", "extra-reason": "crate"})

    assert huge.status_code == 400
    page = text(huge)
    assert 'id="extra-amount-error"' in page and "at most the order&#39;s own total" in page
    assert fakes.contexts["sell/order.html"]["extra_charge_form"].reason.data == "crate"


def test_a_proposal_made_meanwhile_is_flashed_on_the_order(portal, fakes):
    seller_order_answers(fakes, a_seller_order())
    fakes.on("POST", SHOPS_EXTRA, ServiceError(409, "an extra charge is already waiting"))

    response = submit(
        portal, f"{ORDER}/extra-charge", {"extra-amount": "1.00", "extra-reason": "x"}
    )

    assert response.status_code == 302
    assert "an extra charge is already waiting" in text(portal.get(ORDER))
