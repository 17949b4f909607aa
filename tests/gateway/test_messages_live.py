"""Conversations on the live stack, as the two people live them: a shopper's question
reaching the seller's dashboard and inbox, the answer back, the unread badges on both sides;
and the thread of an order part on the buyer's and the seller's order pages. The pages'
parts one by one run against fakes in test_messages_pages.py."""

from __future__ import annotations

import re

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from tests import support
from tests.gateway.helpers import post_form, text
from tests.gateway.sell.conftest import Seller, open_shop, user_id
from tests.gateway.sell.helpers import ORDER_LINK, buy
from tests.gateway.shop.factories import a_shopper, wait_until_found

pytestmark = pytest.mark.integration

THREAD_LINK = re.compile(r'href="/messages/([0-9a-f-]{36})"')
SELL_THREAD_LINK = re.compile(r'href="/sell/messages/([0-9a-f-]{36})"')
QUESTION = "Is the <b>dust jacket</b> & spine intact?"
ESCAPED_QUESTION = "Is the &lt;b&gt;dust jacket&lt;/b&gt; &amp; spine intact?"


@pytest.fixture
def seller(live_gateway: Flask, services) -> Seller:  # noqa: ANN001
    return open_shop(live_gateway, services, "mara@example.org", "Mara's Books", "Mara")


@pytest.fixture
def listing_id(seller: Seller, live_gateway: Flask) -> str:
    seller.add_listing(title="Villette", author="Charlotte Bronte", quantity=3)
    html = wait_until_found(live_gateway.test_client(), q="villette")
    return re.search(r'href="/listings/([0-9a-f-]{36})"', html).group(1)


def ask(client: FlaskClient, listing_id: str, question: str = QUESTION):
    return post_form(client, f"/listings/{listing_id}/ask", {"ask-text": question}, page="/")


def seller_unread(seller: Seller) -> dict:
    headers = support.auth_header(user_id(seller.app, seller.email), shops=(seller.shop["id"],))
    url = f"{seller.services.orders_url}/conversations/unread"
    return requests.get(url, headers=headers, timeout=5).json()


def test_question_answer_and_unread_badges_from_shopper_to_seller_and_back(
    live_gateway, seller, listing_id
):
    shopper = a_shopper(live_gateway)

    asked = ask(shopper, listing_id)
    assert asked.status_code == 302, text(asked)
    thread_path = asked.headers["Location"]
    [conversation_id] = THREAD_LINK.findall(f'href="{thread_path}"')
    thread = text(shopper.get(thread_path))
    assert ESCAPED_QUESTION in thread and "<b>dust jacket</b>" not in thread
    assert "Your question was sent to Mara&#39;s Books." in thread

    dashboard = text(seller.client.get("/sell/"))
    recent = dashboard[dashboard.index('id="recent-messages-heading"') :]
    assert "(1 unread)" in recent and "(1 new)" in recent
    assert "Ben Buyer" in recent and "Villette" in recent
    assert 'id="portal-messages-unread"' in dashboard
    assert "<b>dust jacket</b>" not in dashboard
    inbox = text(seller.client.get("/sell/messages"))
    assert SELL_THREAD_LINK.findall(inbox) == [conversation_id]
    assert 'class="conversation unread"' in inbox

    opened = text(seller.client.get(f"/sell/messages/{conversation_id}"))
    assert ESCAPED_QUESTION in opened and 'id="portal-messages-unread"' not in opened
    answered = post_form(
        seller.client,
        f"/sell/messages/{conversation_id}",
        {"answer-text": "It is <i>fine</i>, no tears."},
        page="/sell/",
    )
    assert answered.status_code == 302, text(answered)
    assert seller_unread(seller)["shops"] == {seller.shop["id"]: 0}

    home = text(shopper.get("/messages"))
    assert 'id="messages-unread"' in home and "(1 new)" in home
    notifications = text(shopper.get("/notifications"))
    assert THREAD_LINK.findall(notifications[notifications.index("unread-title") :]) == [
        conversation_id
    ]
    reading = text(shopper.get(thread_path))
    assert "It is &lt;i&gt;fine&lt;/i&gt;, no tears." in reading
    assert "Mara of Mara&#39;s Books" in reading
    assert 'id="messages-unread"' not in reading
    assert 'id="no-unread"' in text(shopper.get("/notifications"))


def test_the_thread_of_an_order_part_on_both_order_pages(live_gateway, seller):
    listing = seller.add_listing(title="Shirley", quantity=2)
    order_path = buy(live_gateway, listing["id"], email="ben@example.org")
    buyer = live_gateway.test_client()
    post_form(buyer, "/login", {"email": "ben@example.org", "password": "correct horse battery"})
    order_page = text(buyer.get(order_path))
    part_id = re.search(r'id="messages-([0-9a-f-]{36})"', order_page).group(1)
    assert f'id="send-{part_id}"' in order_page and "Messages with Mara&#39;s Books" in order_page

    empty = post_form(
        buyer, f"{order_path}/parts/{part_id}/messages", {f"part-{part_id}-text": ""}, page="/"
    )
    assert empty.status_code == 400
    assert f'id="part-{part_id}-text-error"' in text(empty)

    sent = post_form(
        buyer,
        f"{order_path}/parts/{part_id}/messages",
        {f"part-{part_id}-text": "Could you wrap it <gift> please?"},
        page="/",
    )
    assert sent.status_code == 302, text(sent)
    seller_order = support.wait_for(
        lambda: (ids := ORDER_LINK.findall(text(seller.client.get("/sell/")))) and ids[0]
    )
    assert seller_order == part_id
    seller_page = text(seller.client.get(f"/sell/orders/{part_id}"))
    assert "Could you wrap it &lt;gift&gt; please?" in seller_page
    assert 'id="send-order-message"' in seller_page

    answered = post_form(
        seller.client,
        f"/sell/shops/{seller.shop['id']}/orders/{part_id}/messages",
        {"order-message-text": "Gladly, Ben."},
        page="/sell/",
    )
    assert answered.status_code == 302, text(answered)
    assert 'id="messages-unread"' in text(buyer.get("/messages"))
    assert "Gladly, Ben." in text(buyer.get(order_path))
