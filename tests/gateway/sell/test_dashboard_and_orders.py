"""The seller's orders: waiting on the dashboard with the time left to answer, the order page,
its packing slip, and what accepting and shipping send to the shops service.

Against fake services (tests/gateway/fakes.py, fakes_orders.py): each test answers the calls
its pages make and checks what the forms sent. The whole journey, from a buyer's checkout to
the shipped parcel, runs against the live services in test_orders_live.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gateway.clients import ServiceError
from gateway.pages.sell_common import time_left
from tests.gateway.fakes import a_shop, seller_answers
from tests.gateway.helpers import text
from tests.gateway.sell.fakes_orders import (
    a_seller_order,
    accepted,
    dashboard_answers,
    seller_order_answers,
    shipped,
)
from tests.gateway.sell.helpers import submit

SIGNATURE = "Mara, Mara's Books"
ORDER = "/sell/orders/so-1"
SHOPS_ORDER = "/shops/shop-1/orders/so-1"


@pytest.fixture
def mara(portal, fakes):  # noqa: ANN001, ANN201
    """Mara in her portal, her shop signing "Mara, Mara's Books"."""
    seller_answers(fakes, a_shop(signature=SIGNATURE))
    return portal


def in_47_and_a_half_hours() -> str:
    # Half a minute over, so that the minutes shown do not change while the test runs.
    return (datetime.now(UTC) + timedelta(hours=47, minutes=30, seconds=30)).isoformat()


def test_an_order_waiting_shows_the_time_left_on_the_dashboard_and_its_page(mara, fakes):
    order = a_seller_order(respond_by=in_47_and_a_half_hours())
    dashboard_answers(fakes, order)
    seller_order_answers(fakes, order)

    dashboard = text(mara.get("/sell/"))
    order_page = text(mara.get(ORDER))

    waiting = dashboard[dashboard.index('id="waiting-orders"') : dashboard.index("recent-heading")]
    assert "Ben Buyer" in waiting and "1 × Villette" in waiting
    assert "47 h 30 min left" in waiting and 'href="/sell/orders/so-1"' in waiting
    assert "No orders yet." in dashboard  # waiting orders are not listed again below
    assert 'id="respond-by"' in order_page and "47 h 30 min left" in order_page
    assert 'id="accept-order"' in order_page and 'id="decline-order"' in order_page
    assert 'id="page-missing"' not in dashboard and 'id="page-missing"' not in order_page


def test_the_packing_slip_holds_the_items_and_a_note_to_the_buyer_signed_by_the_shop(mara, fakes):
    seller_order_answers(fakes, a_seller_order())

    slip = text(mara.get(f"{ORDER}/slip"))

    assert 'id="packing-slip"' in slip and "Villette" in slip
    assert "Dear Ben Buyer," in slip and "— Mara, Mara&#39;s Books" in slip
    assert [call.options["params"] for call in fakes.asked("GET", "/covers")] == [
        {"ids": "listing-1"}
    ]


def test_accepting_asks_the_shops_service_and_the_order_then_waits_for_the_payment(mara, fakes):
    order = a_seller_order()
    seller_order_answers(fakes, order)
    fakes.on("POST", f"{SHOPS_ORDER}/accept", accepted(order, ready=False))

    response = submit(mara, f"{ORDER}/accept", {})

    assert response.status_code == 302 and response.headers["Location"] == ORDER
    assert fakes.writes() == [f"POST {SHOPS_ORDER}/accept"]
    seller_order_answers(fakes, accepted(order, ready=False))
    dashboard_answers(fakes, accepted(order, ready=False))
    page = text(mara.get(ORDER))
    assert "Accepted. Time to pack it!" in page
    assert "Waiting for the payment to be confirmed" in page and 'id="ship-order"' not in page
    assert "waiting for the payment" in text(mara.get("/sell/"))


def test_an_order_ready_to_ship_offers_the_ship_form_with_the_note_to_start_from(mara, fakes):
    order = accepted(a_seller_order())
    seller_order_answers(fakes, order)
    dashboard_answers(fakes, order)

    page = text(mara.get(ORDER))

    assert "Payment confirmed: ready to ship." in page and 'id="ship-order"' in page
    assert "Dear Ben Buyer," in page and "Mara, Mara&#39;s Books</textarea>" in page
    assert "ready to ship" in text(mara.get("/sell/"))


def test_shipping_sends_the_note_and_the_tracking_only_when_given(mara, fakes):
    order = accepted(a_seller_order())
    seller_order_answers(fakes, order)
    note = "Enjoy Lucy's story, Ben!\n\nMara, Mara's Books"
    fakes.on("POST", f"{SHOPS_ORDER}/ship", shipped(order, note=note, signed_by=SIGNATURE))

    plain = submit(mara, f"{ORDER}/ship", {"note": note, "carrier": "", "tracking_number": ""})
    tracked = submit(
        mara, f"{ORDER}/ship", {"note": note, "carrier": "PostNL", "tracking_number": "3SABC123"}
    )

    assert plain.status_code == tracked.status_code == 302
    assert fakes.sent("POST", f"{SHOPS_ORDER}/ship") == [
        {"note": note},
        {"note": note, "carrier": "PostNL", "tracking_number": "3SABC123"},
    ]
    assert "Shipped. Your note is on its way" in text(mara.get(ORDER))


def test_a_shipped_order_leaves_the_waiting_list_and_its_slip_carries_the_note_signed_once(
    mara, fakes
):
    order = shipped(
        a_seller_order(), note="Enjoy Lucy's story, Ben!\n\nMara, Mara's Books", signed_by=SIGNATURE
    )
    seller_order_answers(fakes, order)
    dashboard_answers(fakes, order)

    slip = text(mara.get(f"{ORDER}/slip"))
    dashboard = text(mara.get("/sell/"))

    assert "Enjoy Lucy&#39;s story, Ben!" in slip
    assert slip.count("Mara, Mara&#39;s Books") == 1  # signed once, under the note
    assert "No order is waiting for an answer." in dashboard
    assert 'id="orders"' in dashboard and "status-shipped" in dashboard


def test_a_ship_form_the_service_refuses_shows_its_reason_beside_the_field(mara, fakes):
    order = accepted(a_seller_order())
    seller_order_answers(fakes, order)
    refusal = ServiceError(422, "the note is too long", {"note": "at most 2000 characters"})
    fakes.on("POST", f"{SHOPS_ORDER}/ship", refusal)

    response = submit(mara, f"{ORDER}/ship", {"note": "A long letter"})

    assert response.status_code == 400
    assert "at most 2000 characters" in text(response)
    assert fakes.contexts["sell/order.html"]["ship_form"].note.data == "A long letter"


def test_an_order_whose_payment_failed_says_do_not_ship_and_a_late_ship_is_refused(mara, fakes):
    failed = a_seller_order(
        status="cancelled",
        payment="failed",
        cancelled_at="2026-12-01T12:01:00+00:00",
        can_propose_extra_charge=False,
    )
    seller_order_answers(fakes, failed)
    refusal = ServiceError(409, "the buyer's payment for this order failed: do not ship it")
    fakes.on("POST", f"{SHOPS_ORDER}/ship", refusal)

    page = text(mara.get(ORDER))
    shipped_anyway = submit(mara, f"{ORDER}/ship", {"note": "Here it is"})

    assert "Payment failed: do not ship." in page and "status-cancelled" in page
    assert "its stock is back on your shelf" in page and 'id="ship-order"' not in page
    assert shipped_anyway.status_code == 302
    assert "payment for this order failed: do not ship it" in text(mara.get(ORDER))


def test_an_order_of_none_of_the_persons_shops_is_not_found_and_nothing_is_sent(mara, fakes):
    fakes.on("GET", "/shops/shop-1/orders/so-9", ServiceError(404, "no such order"))

    page = mara.get("/sell/orders/so-9")
    slip = mara.get("/sell/orders/so-9/slip")
    answers = [
        submit(mara, f"/sell/orders/so-9/{action}", data)
        for action, data in (
            ("accept", {}),
            ("decline", {"reason": "x"}),
            ("ship", {"note": "x"}),
            ("extra-charge", {"extra-amount": "1.00", "extra-reason": "x"}),
        )
    ]

    assert page.status_code == slip.status_code == 404
    assert [answer.status_code for answer in answers] == [404] * 4
    assert fakes.writes() == []


def test_time_left_reads_like_a_person_would_say_it():
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

    def left(delta: timedelta):  # noqa: ANN202
        return time_left((now + delta).isoformat(), now=now)

    assert left(timedelta(hours=47, minutes=59))["text"] == "47 h 59 min left"
    assert left(timedelta(days=5))["text"] == "5 days left"
    assert left(timedelta(minutes=20)) == {"text": "20 min left", "urgent": True, "overdue": False}
    assert left(timedelta(seconds=-1))["overdue"] is True
    assert time_left(None) is None and time_left("not a time") is None
