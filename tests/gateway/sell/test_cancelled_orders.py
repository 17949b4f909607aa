"""A buyer's cancellation in the portal: the shop reads why."""

from __future__ import annotations

from tests import support
from tests.gateway.helpers import log_in, post_form, text
from tests.gateway.sell.helpers import ORDER_LINK, buy


def test_the_shop_reads_the_reason_a_buyer_gave_for_cancelling(seller, live_gateway):
    listing = seller.add_listing(title="Villette", price={"amount": 2000}, quantity=1)
    order_url = buy(live_gateway, listing["id"])
    dashboard = support.wait_for(
        lambda: (page := text(seller.client.get("/sell/"))) and "Ben Buyer" in page and page
    )
    shop_order_id = ORDER_LINK.search(dashboard).group(1)
    buyer = live_gateway.test_client()
    log_in(buyer, "ben@example.org")

    post_form(
        buyer,
        f"{order_url}/parts/{shop_order_id}/cancel",
        {"reason": "Found it at the library."},
        page="/",
    )

    page = support.wait_for(
        lambda: (
            (html := text(seller.client.get(f"/sell/orders/{shop_order_id}")))
            and 'id="cancelled-why"' in html
            and html
        )
    )
    assert "before you accepted it: Found it at the library." in page
