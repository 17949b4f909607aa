"""Small helpers for the seller portal's tests."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests import support
from tests.gateway.helpers import post_form, text

ORDER_LINK = re.compile(r'href="/sell/orders/([0-9a-f-]{36})"')


def submit(client: FlaskClient, url: str, data: dict, **options):
    """Post a form of the portal with the CSRF token its own page carries."""
    return post_form(client, url, data, page="/sell/", **options)


def wait_until_ready_to_ship(client: FlaskClient, shop_order_id: str) -> str:
    """The order's page once it offers to ship: after the orders side has confirmed the
    buyer's payment (a moment after the shop accepts)."""
    return support.wait_for(
        lambda: (
            'id="ship-order"' in (page := text(client.get(f"/sell/orders/{shop_order_id}")))
            and page
        )
    )


def listing_form(**fields: str) -> dict:
    values = {
        "title": "The Left Hand of Darkness",
        "author": "Ursula K. Le Guin",
        "isbn": "0-441-47812-3",
        "sku": "LG-001",
        "publisher": "Ace",
        "year": "1969",
        "binding": "Paperback",
        "condition": "very_good",
        "condition_notes": "Light shelf wear.",
        "description": "A winter journey.",
        "categories": "Science fiction; Classics",
        "photos": "https://example.org/a.jpg\nhttps://example.org/b.jpg",
        "price": "12.50",
        "quantity": "2",
    }
    values.update(fields)
    return values


def buy(  # noqa: ANN001
    app,
    listing_id: str,
    *,
    email: str = "ben@example.org",
    quantity: int = 1,
    card: str = "4242 4242 4242 4242",
) -> str:
    """A buyer signs up and checks out one listing; returns the order's page URL."""
    from tests.gateway.helpers import sign_up

    buyer = app.test_client()
    sign_up(buyer, email=email, display_name="Ben Buyer")
    added = post_form(buyer, f"/listings/{listing_id}", {"quantity": str(quantity)}, page="/")
    assert added.status_code == 302, text(added)
    checkout = text(buyer.get("/checkout"))
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', checkout).group(1)
    placed = post_form(
        buyer,
        "/checkout",
        {
            "idempotency_key": key,
            "expected_total": re.search(
                r'name="expected_total" type="hidden" value="(\d*)"', checkout
            ).group(1),
            "name": "Ben Buyer",
            "address": "Damrak 1",
            "city": "Amsterdam",
            "postal_code": "1012 LG",
            "country": "NL",
            "card_number": card,
        },
        page="/",
    )
    assert placed.status_code == 302, text(placed)
    return placed.headers["Location"]
