"""A staff member the owner removes loses every page of the portal and every service route
at once: nothing of the shop is kept in the session to act on afterwards."""

from __future__ import annotations

import requests

from tests import support
from tests.gateway.helpers import csrf_token, sign_up, text
from tests.gateway.sell.conftest import user_id
from tests.gateway.sell.helpers import submit

# Every page of the portal that shows a shop's data, by a GET. The ones the orders service
# serves come first: before, they stayed open until a page of the shops service refused.
SHOP_PAGES = (
    "/sell/statement",
    "/sell/statement.csv",
    "/sell/messages",
    "/sell/listings",
    "/sell/listings/new",
    "/sell/messages",
    "/sell/customers",
    "/sell/reviews",
    "/sell/exports",
    "/sell/exports/inventory.csv",
    "/sell/exports/orders.csv",
    "/sell/exports/customers.csv",
    "/sell/settings",
    "/sell/settings/members",
    "/sell/uploads",
)


def test_a_removed_member_loses_every_seller_page_and_api_at_once(seller, live_gateway):
    listing = seller.add_listing(title="Orlando")
    # A buyer asks the shop a question, so there is a thread to answer as the shop.
    asked = requests.post(
        f"{seller.services.orders_url}/listings/{listing['id']}/questions",
        json={"text": "Is the dust jacket intact?"},
        headers=support.auth_header("ben", "Ben"),
        timeout=5,
    )
    assert asked.status_code == 201, asked.text
    thread_id = asked.json()["id"]

    sam = live_gateway.test_client()
    sign_up(sam, email="sam@example.org", display_name="Sam Staff")
    sam_id = user_id(live_gateway, "sam@example.org")
    added = requests.post(
        f"{seller.services.shops_url}/shops/{seller.shop['id']}/members",
        json={"user_id": sam_id, "role": "staff"},
        headers=seller._headers(),
        timeout=5,
    )
    assert added.status_code == 201, added.text
    # Sam works in the shop: every page is his, and the session has seen the shop.
    before = {page: sam.get(page).status_code for page in SHOP_PAGES}
    assert before == dict.fromkeys(SHOP_PAGES, 200), before
    thread_page = sam.get(f"/sell/messages/{thread_id}")
    assert thread_page.status_code == 200
    token = csrf_token(sam, f"/sell/messages/{thread_id}")

    submit(seller.client, f"/sell/settings/members/{sam_id}/remove", {})

    answered = sam.post(
        f"/sell/messages/{thread_id}",
        data={"csrf_token": token, "text": "Yes, signed by the shop."},
    )
    thread_after = sam.get(f"/sell/messages/{thread_id}")
    after = {page: sam.get(page) for page in SHOP_PAGES}

    for page, response in after.items():
        assert response.status_code in (302, 403, 404), (page, response.status_code)
        assert seller.shop["name"] not in text(response), page
    assert thread_after.status_code in (302, 403, 404)
    assert answered.status_code in (302, 403, 404)
    messages = requests.get(
        f"{seller.services.orders_url}/conversations/{thread_id}",
        headers=support.auth_header("ben", "Ben"),
        timeout=5,
    ).json()["messages"]
    assert [message["text"] for message in messages] == ["Is the dust jacket intact?"]
    # The services themselves refuse the token Sam's old page would carry.
    stale = support.auth_header(sam_id, "Sam Staff", shops=(seller.shop["id"],))
    shop_listings = f"{seller.services.shops_url}/shops/{seller.shop['id']}/listings"
    assert requests.get(shop_listings, headers=stale, timeout=5).status_code in (403, 404)
    dashboard = text(sam.get("/sell/"))
    assert "Open your shop" in dashboard or "open your shop" in dashboard
