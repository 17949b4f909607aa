"""Conversations through the gateway's pages, against fake services: what an answer, a
reply and a message about an order part send, their errors beside the field with nothing
sent, nobody else's thread, and the menu when the orders service is down. Who may read and
write which thread is the orders service's rule (tests/orders/test_conversations.py); the
question-and-answer journey with its badges runs on the live stack in
test_messages_live.py, the listing's question form in test_messages_page_data.py."""

from __future__ import annotations

from flask import Flask

from gateway.clients import ServiceError
from tests.gateway.fakes import a_shop_order, a_shop_part_thread, a_thread, order_page_answers
from tests.gateway.fakes import an_order as an_order_of
from tests.gateway.helpers import post_form, sign_up, text

QUESTION = "Is the <b>dust jacket</b> & spine intact?"
ESCAPED_QUESTION = "Is the &lt;b&gt;dust jacket&lt;/b&gt; &amp; spine intact?"
SHOP_THREAD = "/shops/shop-1/conversations/thread-part-1"


def test_an_answer_is_sent_to_the_shops_thread_and_shown_escaped(portal, fakes):
    fakes.on("GET", SHOP_THREAD, a_thread(QUESTION))
    fakes.on("POST", f"{SHOP_THREAD}/messages", a_thread(QUESTION))

    opened = text(portal.get("/sell/messages/thread-part-1"))
    answered = post_form(
        portal,
        "/sell/messages/thread-part-1",
        {"answer-text": "It is <i>fine</i>, no tears."},
        page="/sell/",
    )

    assert ESCAPED_QUESTION in opened and "<b>dust jacket</b>" not in opened
    assert answered.status_code == 302
    assert answered.headers["Location"] == "/sell/messages/thread-part-1"
    assert fakes.sent("POST", f"{SHOP_THREAD}/messages") == [
        {"text": "It is <i>fine</i>, no tears."}
    ]


def test_a_too_long_answer_shows_the_error_beside_the_field_and_sends_nothing(portal, fakes):
    fakes.on("GET", SHOP_THREAD, a_thread(QUESTION))

    response = post_form(
        portal, "/sell/messages/thread-part-1", {"answer-text": "x" * 2001}, page="/sell/"
    )

    assert response.status_code == 400
    assert 'id="answer-text-error"' in text(response) and "2000 characters" in text(response)
    assert fakes.writes() == []


def test_someone_elses_thread_is_not_found_on_either_side(portal, fakes):
    # The orders service answers 404 for a thread the person is not part of.
    not_yours = ServiceError(404, "no such conversation")
    for method, path in (
        ("GET", "/conversations/theirs"),
        ("POST", "/conversations/theirs/messages"),
        ("GET", "/shops/shop-1/conversations/theirs"),
        ("POST", "/shops/shop-1/conversations/theirs/messages"),
    ):
        fakes.on(method, path, not_yours)

    assert portal.get("/messages/theirs").status_code == 404
    assert portal.get("/sell/messages/theirs").status_code == 404
    reply = post_form(portal, "/messages/theirs", {"reply-text": "Hello?"}, page="/")
    answer = post_form(portal, "/sell/messages/theirs", {"answer-text": "Hello?"}, page="/sell/")
    assert reply.status_code == 404 and answer.status_code == 404
    assert "Hello?" not in text(reply) + text(answer)


def test_a_message_about_an_order_part_is_sent_and_an_empty_one_comes_back(app, fakes):
    buyer = app.test_client()
    sign_up(buyer)
    order = an_order_of(status="accepted")
    order_page_answers(fakes, order)
    path = "/orders/order-1/parts/part-1/conversation/messages"
    fakes.on("POST", path, a_thread("Could you wrap it <gift> please?"))

    page = text(buyer.get("/orders/order-1"))
    empty = post_form(
        buyer, "/orders/order-1/parts/part-1/messages", {"part-part-1-text": ""}, page="/"
    )
    sent = post_form(
        buyer,
        "/orders/order-1/parts/part-1/messages",
        {"part-part-1-text": "Could you wrap it <gift> please?"},
        page="/",
    )

    assert 'id="send-part-1"' in page and "Messages with Shop 1" in page
    assert empty.status_code == 400 and 'id="part-part-1-text-error"' in text(empty)
    assert sent.status_code == 302
    assert fakes.sent("POST", path) == [{"text": "Could you wrap it <gift> please?"}]


def test_the_seller_writes_to_the_buyer_from_the_order_page(portal, fakes):
    order = a_shop_order("so-1", status="accepted")
    fakes.on("GET", "/shops/shop-1/orders/so-1", order)
    fakes.on("GET", "/shops/shop-1/orders/so-1/conversation", a_shop_part_thread(order))
    path = "/shops/shop-1/orders/so-1/conversation/messages"
    fakes.on("POST", path, a_thread("Gladly, Ben."))

    page = text(portal.get("/sell/orders/so-1"))
    sent = post_form(
        portal,
        "/sell/shops/shop-1/orders/so-1/messages",
        {"order-message-text": "Gladly, Ben."},
        page="/sell/",
    )

    assert 'id="send-order-message"' in page
    assert sent.status_code == 302 and sent.headers["Location"].endswith(
        "/sell/orders/so-1#messages"
    )
    assert fakes.sent("POST", path) == [{"text": "Gladly, Ben."}]


def test_pages_need_a_login(app: Flask):
    visitor = app.test_client()

    for path in ("/messages", "/messages/x", "/notifications", "/sell/messages"):
        response = visitor.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


def test_the_badge_fails_soft_when_the_orders_service_is_down(app: Flask):
    client = app.test_client()
    sign_up(client)

    response = client.get("/messages")

    # Every service is down here: the page says so, and its menu still renders.
    assert response.status_code == 503
    page = text(response)
    assert 'id="messages-link"' in page and 'id="messages-unread"' not in page
