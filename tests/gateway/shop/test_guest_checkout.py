"""Checking out without an account: an e-mail address, a delivery address and a card; the
order opens from a signed link, for whoever holds it and nobody else.

Against fake services (tests/gateway/fakes.py): the guest's cart and order are canned
answers, shaped as the orders service gives them; each call is heard with the identity the
gateway spoke for, from the token it sent.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.clients import ServiceError
from gateway.guest_orders import GuestOrder
from gateway.identity import CLIENT_FACTORY
from services.common.auth import Principal, verify_token
from tests import support
from tests.gateway.fakes import FakeServices
from tests.gateway.helpers import notices, post_form, text
from tests.gateway.shop.factories import ADDRESSES, KEY, SHOWN_TOTAL
from tests.gateway.shop.fakes_storefront import (
    NORTH_AND_SOUTH,
    a_cart,
    a_placed_order,
    a_postal_address,
)

NOT_DUTCH = "This postal code does not look like one from the Netherlands, e.g. 1234 AB."
ROSAS_ORDER = a_placed_order(
    "order-rosa", address=a_postal_address(name="Rosa Dartle", city="AMSTERDAM")
)


def guest_check_out(client: FlaskClient, **fields: str):
    page = text(client.get("/checkout/guest", query_string={"country": "NL"}))
    key, total = KEY.search(page), SHOWN_TOTAL.search(page)
    assert key and total, page
    values = {
        "idempotency_key": key.group(1),
        "expected_total": total.group(1),
        "email": "rosa@example.org",
        "name": "Rosa Dartle",
        **ADDRESSES["NL"],
        "card_number": "4242 4242 4242 4242",
    } | fields
    return post_form(client, "/checkout/guest", values)


def heard_as(app: Flask) -> list[tuple[str, Principal | None]]:
    """Each call the gateway makes from now on (`METHOD path`), with the person its token
    speaks for."""
    heard: list[tuple[str, Principal | None]] = []
    make = app.extensions[CLIENT_FACTORY]

    def factory(cls: type, base_url: str, token: str | None):  # noqa: ANN202
        client = make(cls, base_url, token)
        answer = client._call
        who = verify_token(token, secret=support.SECRET) if token else None

        def call(method: str, path: str, **options: object) -> object:
            heard.append((f"{method} {path}", who))
            return answer(method, path, **options)

        client._call = call
        return client

    app.extensions[CLIENT_FACTORY] = factory
    return heard


@pytest.fixture
def guest(app: Flask, fakes: FakeServices) -> FlaskClient:
    """A visitor with no account who put North and South in a cart."""
    fakes.on("POST", "/cart/lines", a_cart(NORTH_AND_SOUTH, country=None))
    fakes.on("GET", "/cart", a_cart(NORTH_AND_SOUTH))
    fakes.on("GET", "/covers", {"covers": {}})
    client = app.test_client()
    added = post_form(client, "/listings/listing-north", {"quantity": "1"})
    assert added.status_code == 302
    return client


def test_a_guests_cart_is_kept_under_a_guest_id_and_offers_guest_checkout(app, fakes):
    heard = heard_as(app)
    fakes.on("POST", "/cart/lines", a_cart(NORTH_AND_SOUTH, country=None))
    fakes.on("GET", "/cart", a_cart(NORTH_AND_SOUTH))
    visitor = app.test_client()

    added = post_form(visitor, "/listings/listing-north", {"quantity": "1"})
    cart = text(visitor.get("/cart"))

    assert added.status_code == 302
    assert fakes.sent("POST", "/cart/lines") == [{"listing_id": "listing-north", "quantity": 1}]
    assert 'id="guest-checkout-link"' in cart and "North and South" in cart
    # Both calls speak for the same guest, the one the browser's cookie names.
    guests = {who.user_id for path, who in heard if path in ("POST /cart/lines", "GET /cart")}
    assert len(guests) == 1 and guests.pop().startswith("guest:")


def test_a_guest_checks_out_and_opens_the_order_from_its_link(guest, fakes, app):
    heard = heard_as(app)
    fakes.on("POST", "/checkout", ROSAS_ORDER)
    fakes.on("GET", "/orders/order-rosa", ROSAS_ORDER)

    placed = guest_check_out(guest)

    assert placed.status_code == 302, text(placed)
    [sent] = fakes.sent("POST", "/checkout")
    assert sent["address"]["name"] == "Rosa Dartle"
    assert sent["address"]["postal_code"] == "1012 LG"
    assert "email" not in sent  # the address to write to stays with the gateway
    # The order is placed by the guest whose cart it is, named as on the parcel.
    [(_, buyer)] = [(path, who) for path, who in heard if path == "POST /checkout"]
    [cart_owner] = {who.user_id for path, who in heard if path == "GET /cart"}
    assert (buyer.user_id, buyer.name) == (cart_owner, "Rosa Dartle")
    link = placed.headers["Location"]
    assert link.startswith("/orders/by-link/")
    page = text(guest.get(link))
    assert "Your order" in page and "North and South" in page and 'id="order-link"' in page
    # Read only: whoever holds the link sees the order but changes nothing.
    assert "<form" not in page.split("<main", 1)[-1]
    # The link works anywhere, without the guest's cookies; a changed one does not.
    assert "North and South" in text(app.test_client().get(link))
    asked = len(fakes.asked("GET", "/orders/order-rosa"))
    assert app.test_client().get(link[:-3] + "xyz").status_code == 404
    assert len(fakes.asked("GET", "/orders/order-rosa")) == asked
    with app.extensions["runtime"].session_factory() as session:
        [kept] = session.scalars(select(GuestOrder)).all()
    assert (kept.order_id, kept.email) == ("order-rosa", "rosa@example.org")
    # The guest is mailed the same link, once.
    [mail] = notices(guest, "guest_order", "rosa@example.org")
    assert mail["link"].endswith(link)


def test_a_guest_order_the_service_does_not_know_is_not_found(guest, fakes, app):
    fakes.on("POST", "/checkout", ROSAS_ORDER)
    link = guest_check_out(guest).headers["Location"]
    fakes.on("GET", "/orders/order-rosa", ServiceError(404, "no such order"))

    assert app.test_client().get(link).status_code == 404


def test_guest_checkout_asks_for_a_valid_email_and_places_nothing(guest, fakes):
    fakes.forget_calls()

    response = guest_check_out(guest, email="not an address")

    assert response.status_code == 400
    assert "Enter an e-mail address such as ada@example.org." in text(response)
    assert fakes.writes() == []


def test_guest_checkout_shows_the_services_address_message_and_places_nothing(guest, fakes, app):
    refused = ServiceError(
        422,
        f"this address cannot be used: postal_code: {NOT_DUTCH}",
        {"address.postal_code": NOT_DUTCH},
    )
    fakes.on("POST", "/checkout", refused)
    fakes.forget_calls()

    response = guest_check_out(guest, postal_code="ABC")

    assert response.status_code == 400
    page = text(response)
    assert 'id="postal_code-error"' in page and NOT_DUTCH in page
    assert fakes.writes() == ["POST /checkout"]
    with app.extensions["runtime"].session_factory() as session:
        assert session.scalars(select(GuestOrder)).all() == []
    assert notices(guest, "guest_order") == []


def test_a_signed_in_shopper_is_sent_to_their_own_checkout(ben):
    response = ben.get("/checkout/guest")

    assert (response.status_code, response.headers["Location"]) == (302, "/checkout")
