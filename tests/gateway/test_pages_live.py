"""The gateway's pages against the real shops, catalog and orders services (on threads,
with their workers on the real broker): a seller opens a shop and lists a book, a buyer
finds it, orders it, and reads the seller's signed note when it ships."""

from __future__ import annotations

import re

import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.db import User
from tests import support
from tests.gateway.helpers import csrf_token, post_form, sign_up, text
from tests.gateway.sell.helpers import wait_until_ready_to_ship

LISTING_LINK = re.compile(r'href="/listings/([0-9a-f-]{36})"')
ORDER_LINK = re.compile(r'href="/sell/orders/([0-9a-f-]{36})"')


def user_id(app: Flask, email: str) -> str:
    with app.extensions["runtime"].session_factory() as session:
        return session.scalar(select(User.id).where(User.email == email))


def shops_of(services, app: Flask, email: str) -> list[dict]:  # noqa: ANN001
    """Ask the shops service directly what this person owns, bypassing the gateway."""
    headers = support.auth_header(user_id(app, email))
    return requests.get(f"{services.shops_url}/shops/mine", headers=headers, timeout=5).json()[
        "shops"
    ]


def listings_of(services, app: Flask, email: str, shop_id: str) -> list[dict]:  # noqa: ANN001
    headers = support.auth_header(user_id(app, email), shops=(shop_id,))
    url = f"{services.shops_url}/shops/{shop_id}/listings"
    return requests.get(url, headers=headers, timeout=5).json()["listings"]


def a_seller(app: Flask, *, shop_name: str = "Mara's Books") -> FlaskClient:
    seller = app.test_client()
    sign_up(seller, email="mara@example.org", display_name="Mara")
    post_form(
        seller,
        "/sell/",
        {"name": shop_name, "signature": "Mara, Mara's Books", "country": "NL"},
        page="/sell/",
    )
    return seller


def list_item(seller: FlaskClient, **fields: str):
    values = {
        "title": "The Left Hand of Darkness",
        "author": "Ursula K. Le Guin",
        "isbn": "9780441478125",
        "condition": "very_good",
        "description": "A winter journey.",
        "price": "12.50",
        "quantity": "2",
    }
    values.update(fields)
    return post_form(seller, "/sell/listings/new", values, page="/sell/listings/new")


def test_open_shop_with_empty_name_shows_message_and_creates_nothing(live_gateway, services):
    seller = live_gateway.test_client()
    sign_up(seller, email="mara@example.org", display_name="Mara")
    assert "Open your shop" in text(seller.get("/sell/"))

    response = post_form(seller, "/sell/", {"name": "  ", "signature": "Mara"}, page="/sell/")

    assert response.status_code == 400
    assert "Give your shop a name." in text(response)
    assert shops_of(services, live_gateway, "mara@example.org") == []


def test_new_listing_with_negative_price_shows_message_and_creates_nothing(live_gateway, services):
    seller = a_seller(live_gateway)
    [shop] = shops_of(services, live_gateway, "mara@example.org")

    negative = list_item(seller, price="-3")
    three_decimals = list_item(seller, price="3.999")
    no_quantity = list_item(seller, quantity="-1")

    assert negative.status_code == 400
    assert "The price must be more than zero." in text(negative)
    assert "Use at most two decimals" in text(three_decimals)
    assert "Enter 0 or more copies." in text(no_quantity)
    assert listings_of(services, live_gateway, "mara@example.org", shop["id"]) == []


def test_seller_lists_an_item_priced_exactly(live_gateway, services):
    seller = a_seller(live_gateway)

    response = list_item(seller, price="19.99")

    assert response.status_code == 302
    [shop] = shops_of(services, live_gateway, "mara@example.org")
    [listing] = listings_of(services, live_gateway, "mara@example.org", shop["id"])
    assert listing["price"] == {"amount": 1999, "currency": "EUR"}
    dashboard = text(seller.get("/sell/"))
    assert "Mara&#39;s Books" in dashboard
    assert "The Left Hand of Darkness" in dashboard and "€19.99" in dashboard


def test_add_to_cart_logged_out_redirects_to_login_with_next(live_gateway, services):
    seller = a_seller(live_gateway)
    list_item(seller)
    listing_id = _wait_until_searchable(live_gateway.test_client(), "darkness")
    visitor = live_gateway.test_client()
    token = csrf_token(visitor)

    response = visitor.post(f"/listings/{listing_id}", data={"csrf_token": token, "quantity": 1})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next=/listings/{listing_id}"


def test_a_book_from_listing_to_signed_note(live_gateway, services):
    seller = a_seller(live_gateway)
    list_item(seller, description="<script>alert('x')</script> A winter journey.")

    # The catalog indexes the listing from the shops service's event.
    anonymous = live_gateway.test_client()
    listing_id = _wait_until_searchable(anonymous, "darkness")
    results = text(anonymous.get("/search", query_string={"q": "darkness"}))
    assert "<mark>Darkness</mark>" in results
    assert "€12.50" in results and "Mara&#39;s Books" in results
    assert "The Left Hand of Darkness" in text(anonymous.get("/"))
    detail = text(anonymous.get(f"/listings/{listing_id}"))
    assert "&lt;script&gt;" in detail and "<script>alert" not in detail
    assert 'id="add-to-cart"' in detail

    buyer = live_gateway.test_client()
    sign_up(buyer, email="ben@example.org", display_name="Ben Buyer")
    too_many = post_form(buyer, f"/listings/{listing_id}", {"quantity": "5"}, page="/")
    assert too_many.status_code == 400
    assert "only 2 of" in text(too_many)  # the orders service's message, shown on the page
    added = post_form(buyer, f"/listings/{listing_id}", {"quantity": "1"}, page="/")
    assert added.headers["Location"] == "/cart"
    cart = text(buyer.get("/cart"))
    assert "From Mara&#39;s Books" in cart and "The Left Hand of Darkness" in cart
    assert 'id="cart-total">€12.50<' in cart

    checkout_page = text(buyer.get("/checkout"))
    key = re.search(
        r'id="idempotency_key" name="idempotency_key" type="hidden" value="([^"]+)"', checkout_page
    )
    assert key, checkout_page
    placed = post_form(
        buyer,
        "/checkout",
        {
            "idempotency_key": key.group(1),
            "expected_total": re.search(
                r'name="expected_total" type="hidden" value="(\d*)"', checkout_page
            ).group(1),
            "name": "Ben Buyer",
            "address": "Damrak 1",
            "city": "Amsterdam",
            "postal_code": "1012 LG",
            "country": "NL",
            "card_number": "4242 4242 4242 4242",
        },
        page="/",
    )
    assert placed.status_code == 302
    order_url = placed.headers["Location"]
    assert order_url.startswith("/orders/")
    assert "Mara&#39;s Books" in text(buyer.get(order_url))
    assert "View order" in text(buyer.get("/orders"))

    # The shop receives its part of the order through the broker.
    dashboard = support.wait_for(
        lambda: (page := text(seller.get("/sell/"))) and "Ben Buyer" in page and page
    )
    shop_order_id = ORDER_LINK.search(dashboard).group(1)
    pending = text(seller.get(f"/sell/orders/{shop_order_id}"))
    assert 'id="accept-order"' in pending and 'id="decline-order"' in pending

    post_form(seller, f"/sell/orders/{shop_order_id}/accept", {}, page="/")
    waiting = text(seller.get(f"/sell/orders/{shop_order_id}"))
    # The parcel waits for the orders side to confirm the payment, a moment later.
    assert "Waiting for the payment to be confirmed" in waiting or "Payment confirmed" in waiting
    accepted = wait_until_ready_to_ship(seller, shop_order_id)
    assert "Payment confirmed: ready to ship." in accepted
    # The note starts addressed to the buyer and signed by the shop.
    assert "Dear Ben Buyer," in accepted and "Mara, Mara&#39;s Books</textarea>" in accepted

    shipped = post_form(
        seller,
        f"/sell/orders/{shop_order_id}/ship",
        {
            "note": "Enjoy the ice, Ben!\n\nMara, Mara's Books",
            "carrier": "PostNL",
            "tracking_number": "3SABC123",
        },
        page="/",
    )
    assert shipped.status_code == 302

    # The buyer's order page follows the shop's answers through the broker.
    order_page = support.wait_for(
        lambda: (page := text(buyer.get(order_url))) and "Enjoy the ice" in page and page
    )
    assert "— Mara, Mara&#39;s Books" in order_page
    # The seller signed the note; the letter shows the signature once, below it.
    assert order_page.count("Mara, Mara&#39;s Books") == 1
    assert "PostNL" in order_page and "3SABC123" in order_page
    assert "status-shipped" in order_page


def test_seller_declines_with_a_reason_the_buyer_reads(live_gateway, services):
    seller = a_seller(live_gateway)
    list_item(seller)
    listing_id = _wait_until_searchable(live_gateway.test_client(), "darkness")
    buyer = live_gateway.test_client()
    sign_up(buyer, email="ben@example.org", display_name="Ben Buyer")
    post_form(buyer, f"/listings/{listing_id}", {"quantity": "1"}, page="/")
    checkout = text(buyer.get("/checkout"))
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', checkout).group(1)
    order_url = post_form(
        buyer,
        "/checkout",
        {
            "idempotency_key": key,
            "expected_total": re.search(
                r'name="expected_total" type="hidden" value="(\d*)"', checkout
            ).group(1),
            "name": "Ben",
            "address": "Damrak 1",
            "city": "Amsterdam",
            "postal_code": "1012 LG",
            "country": "NL",
            "card_number": "4242 4242 4242 4242",
        },
        page="/",
    ).headers["Location"]
    dashboard = support.wait_for(
        lambda: (page := text(seller.get("/sell/"))) and "Ben Buyer" in page and page
    )
    shop_order_id = ORDER_LINK.search(dashboard).group(1)

    empty = post_form(seller, f"/sell/orders/{shop_order_id}/decline", {"reason": ""}, page="/")
    assert empty.status_code == 400 and "Tell the buyer why you decline." in text(empty)
    post_form(
        seller,
        f"/sell/orders/{shop_order_id}/decline",
        {"reason": "Water damage, sorry."},
        page="/",
    )

    order_page = support.wait_for(
        lambda: (page := text(buyer.get(order_url))) and "Water damage" in page and page
    )
    assert "The shop could not send this part: Water damage, sorry." in order_page


def _wait_until_searchable(client: FlaskClient, query: str) -> str:
    page = support.wait_for(
        lambda: (
            (html := text(client.get("/search", query_string={"q": query})))
            and LISTING_LINK.search(html)
            and html
        )
    )
    return LISTING_LINK.search(page).group(1)
