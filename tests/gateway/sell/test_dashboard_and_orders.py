"""The dashboard's orders waiting with time left, the order page and its packing slip,
against the live services; the dashboard's empty and low-stock cases and the portal's login
run against fakes (tests/gateway/test_page_data.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gateway.pages.sell_common import time_left
from tests import support
from tests.gateway.helpers import text
from tests.gateway.sell.helpers import ORDER_LINK, buy, submit, wait_until_ready_to_ship


def test_order_waiting_shows_time_left_and_a_packing_slip_with_the_note(seller, live_gateway):
    listing = seller.add_listing(title="Villette", quantity=1)
    buy(live_gateway, listing["id"])

    dashboard = support.wait_for(
        lambda: (page := text(seller.client.get("/sell/"))) and "Ben Buyer" in page and page
    )
    waiting = dashboard[dashboard.index('id="waiting-orders"') : dashboard.index("recent-heading")]
    assert "Ben Buyer" in waiting and "1 × Villette" in waiting
    assert "h " in waiting and "min left" in waiting  # 48 hours by default
    shop_order_id = ORDER_LINK.search(waiting).group(1)
    order_page = text(seller.client.get(f"/sell/orders/{shop_order_id}"))
    assert 'id="respond-by"' in order_page and "min left" in order_page

    slip = text(seller.client.get(f"/sell/orders/{shop_order_id}/slip"))
    assert 'id="packing-slip"' in slip and "Villette" in slip
    assert "Dear Ben Buyer," in slip and "— Mara, Mara&#39;s Books" in slip

    submit(seller.client, f"/sell/orders/{shop_order_id}/accept", {})
    wait_until_ready_to_ship(seller.client, shop_order_id)
    assert "ready to ship" in text(seller.client.get("/sell/"))
    submit(
        seller.client,
        f"/sell/orders/{shop_order_id}/ship",
        {"note": "Enjoy Lucy's story, Ben!\n\nMara, Mara's Books"},
    )
    shipped = text(seller.client.get(f"/sell/orders/{shop_order_id}/slip"))
    assert "Enjoy Lucy&#39;s story, Ben!" in shipped
    assert shipped.count("Mara, Mara&#39;s Books") == 1  # signed once, under the note
    dashboard = text(seller.client.get("/sell/"))
    assert "No order is waiting for an answer." in dashboard
    assert 'id="orders"' in dashboard and "status-shipped" in dashboard


def test_order_whose_payment_fails_after_accepting_says_do_not_ship(seller, live_gateway):
    listing = seller.add_listing(title="Shirley", quantity=1)
    buy(live_gateway, listing["id"], card="4000 0000 0000 0341")  # fails at capture
    dashboard = support.wait_for(
        lambda: (page := text(seller.client.get("/sell/"))) and ORDER_LINK.search(page) and page
    )
    shop_order_id = ORDER_LINK.search(dashboard).group(1)

    submit(seller.client, f"/sell/orders/{shop_order_id}/accept", {})
    page = support.wait_for(
        lambda: (
            (html := text(seller.client.get(f"/sell/orders/{shop_order_id}")))
            and "Payment failed: do not ship." in html
            and html
        )
    )
    shipped = submit(seller.client, f"/sell/orders/{shop_order_id}/ship", {"note": "Here it is"})

    assert 'id="ship-order"' not in page and "status-cancelled" in page
    assert "its stock is back on your shelf" in page
    refused = text(seller.client.get(f"/sell/orders/{shop_order_id}"))
    assert shipped.status_code == 302
    assert "payment for this order failed: do not ship it" in refused  # the 409, flashed
    assert "status-shipped" not in refused


def test_time_left_reads_like_a_person_would_say_it():
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

    def left(delta: timedelta):  # noqa: ANN202
        return time_left((now + delta).isoformat(), now=now)

    assert left(timedelta(hours=47, minutes=59))["text"] == "47 h 59 min left"
    assert left(timedelta(days=5))["text"] == "5 days left"
    assert left(timedelta(minutes=20)) == {"text": "20 min left", "urgent": True, "overdue": False}
    assert left(timedelta(seconds=-1))["overdue"] is True
    assert time_left(None) is None and time_left("not a time") is None
