"""Small helpers for the seller portal's tests."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.gateway.helpers import post_form, text

ORDER_LINK = re.compile(r'href="/sell/orders/([0-9a-f-]{36})"')


def submit(client: FlaskClient, url: str, data: dict, **options):
    """Post a form of the portal with the CSRF token its own page carries."""
    return post_form(client, url, data, page="/sell/", **options)


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


def buy(app, listing_id: str, *, email: str = "ben@example.org", quantity: int = 1) -> str:  # noqa: ANN001
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
            "address": "1 Main St",
            "country": "NL",
            "card_number": "4242 4242 4242 4242",
        },
        page="/",
    )
    assert placed.status_code == 302, text(placed)
    return placed.headers["Location"]
