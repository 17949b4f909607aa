"""A staff member the owner removes loses every page of the portal at once: the person's
shops are asked of the shops service on every request, and nothing of the shop is kept in
the session to act on afterwards.

Against fake services (tests/gateway/fakes.py, fakes_orders.py): the shops service stops
listing the shop among Sam's. That the services themselves then refuse a token naming the
shop is tested in tests/shops/test_members.py and tests/orders/test_membership.py.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from gateway.clients import ServiceError
from tests.gateway.fakes import FakeServices, a_shop, seller_answers, shop_listings
from tests.gateway.helpers import csrf_token, sign_up, text
from tests.gateway.sell.conftest import user_id
from tests.gateway.sell.fakes_orders import (
    a_customer,
    a_member,
    a_question_thread,
    a_statement,
    customers_page,
    fake_downloads,
    movements,
    no_threads,
    shop_reviews,
)
from tests.gateway.sell.helpers import submit

# Every page of the portal that shows a shop's data, by a GET. The ones the orders service
# serves come first: before, they stayed open until a page of the shops service refused.
SHOP_PAGES = (
    "/sell/statement",
    "/sell/statement.csv",
    "/sell/messages",
    "/sell/messages/thread-1",
    "/sell/listings",
    "/sell/listings/new",
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
QUESTION = "Is the dust jacket intact?"


def shop_pages_answered(app, fakes: FakeServices, monkeypatch, *, sam: str) -> None:  # noqa: ANN001
    """Every call SHOP_PAGES make of shop-1, answered."""
    shop = "/shops/shop-1"
    fakes.on("GET", f"{shop}/statement", a_statement())
    fakes.on("GET", f"{shop}/movements", movements())
    fakes.on("GET", f"{shop}/conversations", no_threads())
    fakes.on("GET", f"{shop}/conversations/thread-1", a_question_thread(text=QUESTION))
    fakes.on("GET", f"{shop}/listings", shop_listings())
    fakes.on("GET", f"{shop}/customers", customers_page(a_customer()))
    fakes.on("GET", f"{shop}/reviews", shop_reviews())
    fakes.on("GET", shop, a_shop(), service="shops")
    fakes.on("GET", f"{shop}/members", {"members": [a_member("mara", "owner"), a_member(sam)]})
    fakes.on("GET", f"{shop}/uploads", {"uploads": []})
    downloads = fake_downloads(app, fakes, monkeypatch)
    downloads.on(f"{shop}/statement.csv", "week,currency,parts,sales,refunds,commission,net\n")
    for name in ("inventory", "orders", "customers"):
        downloads.on(f"{shop}/export/{name}.csv", "sku,title\n")


@pytest.fixture
def sam(app, fakes: FakeServices) -> FlaskClient:  # noqa: ANN001
    """Sam Staff, signed in, working in shop-1."""
    client = app.test_client()
    assert sign_up(client, email="sam@example.org", display_name="Sam Staff").status_code == 302
    seller_answers(fakes, a_shop())
    return client


def test_a_removed_member_loses_every_seller_page_and_form_at_once(app, fakes, sam, monkeypatch):
    shop_pages_answered(app, fakes, monkeypatch, sam=user_id(app, "sam@example.org"))
    # Sam works in the shop: every page is his, and the session has seen the shop.
    before = {page: sam.get(page).status_code for page in SHOP_PAGES}
    assert before == dict.fromkeys(SHOP_PAGES, 200), before
    assert QUESTION in text(sam.get("/sell/messages/thread-1"))
    token = csrf_token(sam, "/sell/messages/thread-1")

    # The owner removes Sam: the shops service no longer lists the shop among his.
    fakes.on("GET", "/shops/mine", {"shops": []})
    fakes.forget_calls()
    answered = sam.post(
        "/sell/messages/thread-1", data={"csrf_token": token, "answer-text": "Yes, signed."}
    )
    after = {page: sam.get(page) for page in SHOP_PAGES}

    for page, response in [*after.items(), ("the answer", answered)]:
        assert response.status_code in (302, 403, 404), (page, response.status_code)
        assert "Mara&#39;s Books" not in text(response), page
    # Nothing of the shop was asked for, let alone written: only who Sam works for.
    assert {call.path for call in fakes.calls} <= {
        "/shops/mine",
        "/conversations/unread",
        "/wants/matches/unread",
    }
    dashboard = text(sam.get("/sell/", follow_redirects=True))
    assert "You are no longer a member of Mara&#39;s Books." in dashboard
    assert "Open your shop" in dashboard or "open your shop" in dashboard


def test_the_owner_removes_a_member(portal, fakes, app):
    fakes.on("GET", "/shops/shop-1/members", {"members": [a_member("mara", "owner")]})
    fakes.on("DELETE", "/shops/shop-1/members/sam", {})  # 204: no body

    removed = submit(portal, "/sell/settings/members/sam/remove", {})

    assert removed.status_code == 302 and removed.headers["Location"] == "/sell/settings/members"
    assert fakes.writes() == ["DELETE /shops/shop-1/members/sam"]
    assert "Done: they no longer work in this shop." in text(portal.get("/sell/settings/members"))


def test_a_removal_the_shops_service_refuses_says_why(portal, fakes):
    fakes.on("GET", "/shops/shop-1/members", {"members": [a_member("mara", "owner")]})
    refusal = ServiceError(409, "the last owner cannot be removed")
    fakes.on("DELETE", "/shops/shop-1/members/mara", refusal)

    submit(portal, "/sell/settings/members/mara/remove", {})

    assert "The last owner cannot be removed." in text(portal.get("/sell/settings/members"))
