"""Shops and listings made straight through the shops API, and shoppers through the gateway.

The shopper's pages are under test here, not the seller portal: sellers act on the shops
service directly, as the portal would on their behalf.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import requests
from flask import Flask
from flask.testing import FlaskClient

from tests import support
from tests.gateway.helpers import post_form, sign_up, text

LISTING_LINK = re.compile(r'href="/listings/([0-9a-f-]{36})"')
KEY = re.compile(r'name="idempotency_key" type="hidden" value="([^"]+)"')
SHOWN_TOTAL = re.compile(r'name="expected_total" type="hidden" value="(\d*)"')


@dataclass
class Seller:
    shops_url: str
    user_id: str
    shop: dict

    def headers(self) -> dict[str, str]:
        return support.auth_header(self.user_id, "Seller", shops=(self.shop["id"],))

    def list(self, **fields: object) -> dict:
        values: dict[str, object] = {
            "title": "The Left Hand of Darkness",
            "author": "Ursula K. Le Guin",
            "isbn": "9780441478125",
            "condition": "very_good",
            "description": "A winter journey.",
            "price": {"amount": 1250, "currency": "EUR"},
            "quantity": 2,
        }
        values.update(fields)
        response = requests.post(
            f"{self.shops_url}/shops/{self.shop['id']}/listings",
            json=values,
            headers=self.headers(),
            timeout=5,
        )
        assert response.status_code == 201, response.text
        return response.json()

    def change_shop(self, **changes: object) -> dict:
        response = requests.patch(
            f"{self.shops_url}/shops/{self.shop['id']}",
            json=changes,
            headers=self.headers(),
            timeout=5,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def orders(self) -> list[dict]:
        url = f"{self.shops_url}/shops/{self.shop['id']}/orders"
        return requests.get(url, headers=self.headers(), timeout=5).json()["orders"]

    def answer(self, shop_order_id: str, action: str, **body: object) -> requests.Response:
        url = f"{self.shops_url}/shops/{self.shop['id']}/orders/{shop_order_id}"
        if action == "ship":
            # A shop ships only once the orders side has confirmed the payment is captured.
            support.wait_for(
                lambda: (
                    requests.get(url, headers=self.headers(), timeout=5).json().get("ready_to_ship")
                )
            )
        return requests.post(
            f"{url}/{action}", json=body or None, headers=self.headers(), timeout=5
        )


def a_seller(  # noqa: ANN001 - services is a stack.ServiceUrls
    services, name: str = "Mara's Books", *, country: str = "NL", **shop: object
) -> Seller:
    user_id = str(uuid.uuid4())
    body = {"name": name, "signature": f"Mara, {name}", "country": country, **shop}
    response = requests.post(
        f"{services.shops_url}/shops",
        json=body,
        headers=support.auth_header(user_id, "Seller"),
        timeout=5,
    )
    assert response.status_code == 201, response.text
    return Seller(services.shops_url, user_id, response.json())


def a_shopper(app: Flask, email: str = "ben@example.org", name: str = "Ben Buyer") -> FlaskClient:
    client = app.test_client()
    sign_up(client, email=email, display_name=name)
    return client


def search_page(client: FlaskClient, **args: str) -> str:
    return text(client.get("/search", query_string=args))


def wait_until_found(client: FlaskClient, count: int = 1, **args: str) -> str:
    """The catalog learns of listings over the broker: wait until `count` are found."""
    return support.wait_for(
        lambda: (
            (html := search_page(client, **args))
            and len(set(LISTING_LINK.findall(html))) >= count
            and html
        )
    )


def listing_ids(html: str) -> list[str]:
    return list(dict.fromkeys(LISTING_LINK.findall(html)))


def add_to_cart(client: FlaskClient, listing_id: str, quantity: int = 1):
    return post_form(client, f"/listings/{listing_id}", {"quantity": str(quantity)}, page="/")


# A deliverable address in each country the shopper's tests check out to, in the form's
# field names.
ADDRESSES = {
    "NL": {"address": "Damrak 1", "city": "Amsterdam", "postal_code": "1012 LG", "country": "NL"},
    "GB": {
        "address": "1 Analytical Row",
        "city": "London",
        "postal_code": "SW1A 2AA",
        "country": "GB",
    },
    "FR": {"address": "12 rue Vivienne", "city": "Paris", "postal_code": "75002", "country": "FR"},
}


def check_out(
    client: FlaskClient, *, card: str = "4242 4242 4242 4242", country: str = "NL", **fields: str
):
    page = text(client.get("/checkout", query_string={"country": country}))
    key, total = KEY.search(page), SHOWN_TOTAL.search(page)
    assert key and total, "no checkout form"
    values = {
        "idempotency_key": key.group(1),
        "expected_total": total.group(1),
        "name": "Ben Buyer",
        **ADDRESSES[country],
        "card_number": card,
        **fields,
    }
    return post_form(client, "/checkout", values, page="/")
