"""The seller's order page: propose an extra charge instead of accepting."""

from __future__ import annotations

from tests import support
from tests.gateway.helpers import text
from tests.gateway.sell.helpers import ORDER_LINK, buy, submit


def _waiting_order(seller, live_gateway) -> str:  # noqa: ANN001
    listing = seller.add_listing(title="Villette", quantity=1)
    buy(live_gateway, listing["id"])
    dashboard = support.wait_for(
        lambda: (page := text(seller.client.get("/sell/"))) and "Ben Buyer" in page and page
    )
    return ORDER_LINK.search(dashboard).group(1)


def test_seller_proposes_an_extra_charge_and_sees_it_waiting(seller, live_gateway):
    shop_order_id = _waiting_order(seller, live_gateway)
    url = f"/sell/orders/{shop_order_id}"
    page = text(seller.client.get(url))
    assert 'id="extra-charge-form"' in page and 'id="accept-order"' in page

    response = submit(
        seller.client,
        f"{url}/extra-charge",
        {"extra-amount": "4.50", "extra-reason": "heavy parcel"},
        follow_redirects=True,
    )

    page = text(response)
    assert "Proposed. The buyer is asked to accept or refuse" in page
    assert 'id="extra-charge-status"' in page and "Waiting for the buyer" in page
    assert "heavy parcel" in page and "€4.50" in page
    assert 'id="accept-order"' not in page  # the buyer answers first
    assert 'id="extra-charge-form"' not in page  # one open proposal at a time


def test_extra_charge_with_a_bad_amount_is_a_form_message(seller, live_gateway):
    shop_order_id = _waiting_order(seller, live_gateway)
    url = f"/sell/orders/{shop_order_id}"

    blank = submit(seller.client, f"{url}/extra-charge", {"extra-amount": "", "extra-reason": ""})
    huge = submit(
        seller.client, f"{url}/extra-charge", {"extra-amount": "999", "extra-reason": "crate"}
    )

    assert blank.status_code == 400
    assert "How much more should the buyer pay?" in text(blank)
    assert "Tell the buyer why" in text(blank)
    assert huge.status_code == 400
    assert "at most the order&#39;s own total" in text(huge)
    assert "Waiting for the buyer" not in text(seller.client.get(url))


def test_extra_charge_on_another_shops_order_is_404(seller, live_gateway, services):
    from tests.gateway.sell.conftest import open_shop

    shop_order_id = _waiting_order(seller, live_gateway)
    other = open_shop(live_gateway, services, "eve@example.org", "Eve's Books", "Eve")

    response = submit(
        other.client,
        f"/sell/orders/{shop_order_id}/extra-charge",
        {"extra-amount": "1.00", "extra-reason": "x"},
    )

    assert response.status_code == 404
