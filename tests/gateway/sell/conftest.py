"""Fixtures for the seller portal's pages, against the real services on threads.

`live_gateway` and `services` come from tests/gateway/conftest.py; here a signed-up seller
with an open shop, and a direct line to the shops service to check what was (not) written.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.db import User
from tests import support
from tests.gateway.helpers import post_form, sign_up


def user_id(app: Flask, email: str) -> str:
    with app.extensions["runtime"].session_factory() as session:
        return session.scalar(select(User.id).where(User.email == email))


@dataclass
class Seller:
    """A person with an open shop: their browser (test client) and the shop as stored."""

    client: FlaskClient
    app: Flask
    services: object
    email: str
    shop: dict

    def _headers(self) -> dict:
        return support.auth_header(user_id(self.app, self.email), shops=(self.shop["id"],))

    def stored_shop(self) -> dict:
        url = f"{self.services.shops_url}/shops/{self.shop['id']}"
        return requests.get(url, timeout=5).json()

    def stored_listings(self) -> list[dict]:
        url = f"{self.services.shops_url}/shops/{self.shop['id']}/listings"
        return requests.get(url, headers=self._headers(), timeout=5).json()["listings"]

    def stored_uploads(self) -> list[dict]:
        url = f"{self.services.shops_url}/shops/{self.shop['id']}/uploads"
        return requests.get(url, headers=self._headers(), timeout=5).json()["uploads"]

    def add_listing(self, **fields: object) -> dict:
        """A listing written straight to the shops service: quicker than the form."""
        body = {"title": "Middlemarch", "price": {"amount": 1200}, "quantity": 2, **fields}
        url = f"{self.services.shops_url}/shops/{self.shop['id']}/listings"
        response = requests.post(url, json=body, headers=self._headers(), timeout=5)
        assert response.status_code == 201, response.text
        return response.json()


def open_shop(app: Flask, services, email: str, name: str, person: str) -> Seller:  # noqa: ANN001
    client = app.test_client()
    sign_up(client, email=email, display_name=person)
    post_form(
        client,
        "/sell/",
        {"name": name, "signature": f"{person}, {name}", "country": "NL"},
        page="/sell/",
    )
    headers = support.auth_header(user_id(app, email))
    [shop] = requests.get(f"{services.shops_url}/shops/mine", headers=headers, timeout=5).json()[
        "shops"
    ]
    return Seller(client=client, app=app, services=services, email=email, shop=shop)


@pytest.fixture
def seller(live_gateway: Flask, services) -> Seller:  # noqa: ANN001
    return open_shop(live_gateway, services, "mara@example.org", "Mara's Books", "Mara")
