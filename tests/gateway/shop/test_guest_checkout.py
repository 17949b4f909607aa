"""Checking out without an account: an e-mail address, a delivery address and a card; the
order opens from a signed link, for whoever holds it and nobody else."""

from __future__ import annotations

from sqlalchemy import select

from gateway.guest_orders import GuestOrder
from tests import support
from tests.gateway.helpers import notices, post_form, text
from tests.gateway.shop.factories import (
    ADDRESSES,
    KEY,
    SHOWN_TOTAL,
    a_seller,
    listing_ids,
    wait_until_found,
)


def guest_check_out(client, **fields: str):  # noqa: ANN001, ANN201
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


def test_a_guest_checks_out_and_opens_the_order_from_its_link(services, live_gateway):
    seller = a_seller(services)
    seller.list(title="Cranford", isbn=None)
    guest = live_gateway.test_client()
    [listing_id] = listing_ids(wait_until_found(guest, 1, q="cranford"))
    post_form(guest, f"/listings/{listing_id}", {"quantity": "1"})

    cart = text(guest.get("/cart"))
    placed = guest_check_out(guest)

    assert 'id="guest-checkout-link"' in cart
    assert placed.status_code == 302, text(placed)
    link = placed.headers["Location"]
    assert link.startswith("/orders/by-link/")
    page = text(guest.get(link))
    assert "Your order" in page and "Cranford" in page and 'id="order-link"' in page
    # Read only: whoever holds the link sees the order but changes nothing.
    assert "<form" not in page.split("<main", 1)[-1]
    # The link works anywhere, without the guest's cookies; a changed one does not.
    assert "Cranford" in text(live_gateway.test_client().get(link))
    assert live_gateway.test_client().get(link[:-3] + "xyz").status_code == 404
    [part] = support.wait_for(seller.orders)
    assert part["buyer"]["name"] == "Rosa Dartle"
    assert part["delivery_address"]["postal_code"] == "1012 LG"
    with live_gateway.extensions["runtime"].session_factory() as session:
        [kept] = session.scalars(select(GuestOrder)).all()
    assert kept.email == "rosa@example.org"
    # The guest is mailed the same link, once.
    [mail] = notices(guest, "guest_order", "rosa@example.org")
    assert mail["link"].endswith(link)
    assert "Your cart is empty" in text(guest.get("/cart"))


def test_guest_checkout_asks_for_a_valid_email_and_places_nothing(services, live_gateway):
    seller = a_seller(services)
    seller.list(title="Ruth", isbn=None)
    guest = live_gateway.test_client()
    [listing_id] = listing_ids(wait_until_found(guest, 1, q="ruth"))
    post_form(guest, f"/listings/{listing_id}", {"quantity": "1"})

    response = guest_check_out(guest, email="not an address")

    assert response.status_code == 400
    assert "Enter an e-mail address such as ada@example.org." in text(response)
    assert seller.orders() == []


def test_guest_checkout_checks_the_address_for_its_country_and_places_nothing(
    services, live_gateway
):
    seller = a_seller(services)
    seller.list(title="Sylvia's Lovers", isbn=None)
    guest = live_gateway.test_client()
    [listing_id] = listing_ids(wait_until_found(guest, 1, q="sylvia"))
    post_form(guest, f"/listings/{listing_id}", {"quantity": "1"})

    response = guest_check_out(guest, postal_code="ABC")

    assert response.status_code == 400
    page = text(response)
    assert 'id="postal_code-error"' in page and "Netherlands" in page
    assert seller.orders() == []
