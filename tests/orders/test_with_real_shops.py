"""Orders asking the real shops service over HTTP (both on threads, SQLite databases)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask.testing import FlaskClient

import services.shops
from services.orders.app import create_app as create_orders_app
from services.orders.bootstrap import bootstrap as bootstrap_orders
from services.orders.config import Settings as OrdersSettings
from services.orders.listings import ShopsUnavailable
from services.orders.shops_client import HttpListingDirectory
from services.shops.app import create_app as create_shops_app
from services.shops.bootstrap import bootstrap as bootstrap_shops
from services.shops.config import Settings as ShopsSettings
from tests import support
from tests.orders.conftest import MIGRATIONS as ORDERS_MIGRATIONS
from tests.orders.factories import postal_address
from tests.orders.test_shops_client import closed_port
from tests.support import serving

pytestmark = pytest.mark.integration

SHOPS_MIGRATIONS = Path(services.shops.__file__).parent / "migrations"


@pytest.fixture
def shops_url(tmp_path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'shops.db'}"
    support.migrate(SHOPS_MIGRATIONS, url)
    runtime = bootstrap_shops(
        ShopsSettings(database_url=url, amqp_prefix="unused", service_token_secret=support.SECRET)
    )
    with serving(create_shops_app(runtime)) as base_url:
        yield base_url
    runtime.engine.dispose()


def orders_client(tmp_path, shops_url: str) -> FlaskClient:
    url = f"sqlite:///{tmp_path / 'orders.db'}"
    support.migrate(ORDERS_MIGRATIONS, url)
    settings = OrdersSettings(
        database_url=url, shops_url=shops_url, service_token_secret=support.SECRET
    )
    return create_orders_app(bootstrap_orders(settings)).test_client()


def list_a_book(shops_url: str, *, quantity: int = 2) -> dict:
    """Open a shop and list one book through the shops service's own API."""
    seller = support.auth_header("seller-1", "Margaret")
    shop = requests.post(
        f"{shops_url}/shops",
        json={"name": "Hogarth Books", "signature": "Margaret", "currency": "EUR"},
        headers=seller,
        timeout=5,
    ).json()
    seller = support.auth_header("seller-1", "Margaret", shops=(shop["id"],))
    response = requests.post(
        f"{shops_url}/shops/{shop['id']}/listings",
        json={"title": "The Waves", "price": {"amount": 1450}, "quantity": quantity},
        headers=seller,
        timeout=5,
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_get_reads_a_listing_from_the_real_shops_service(shops_url):
    book = list_a_book(shops_url)

    info = HttpListingDirectory(shops_url).get(book["id"])

    assert info is not None
    assert (info.id, info.shop_id, info.shop_name) == (book["id"], book["shop_id"], "Hogarth Books")
    assert (info.price.amount, info.price.currency, info.quantity) == (1450, "EUR", 2)
    assert HttpListingDirectory(shops_url).get("f0000000-0000-4000-8000-000000000000") is None


def test_checkout_with_the_real_shops_service(tmp_path, shops_url):
    book = list_a_book(shops_url, quantity=2)
    client = orders_client(tmp_path, shops_url)
    buyer = support.auth_header("ada", "Ada")

    def add(quantity: int):
        body = {"listing_id": book["id"], "quantity": quantity}
        return client.post("/cart/lines", json=body, headers=buyer)

    too_many, added = add(3), add(2)
    placed = client.post(
        "/checkout",
        json={
            "idempotency_key": "k1",
            "address": postal_address("GB"),
            "card_number": "4242 4242 4242 4242",
        },
        headers=buyer,
    )

    assert too_many.status_code == 422
    assert added.status_code == 201
    assert placed.status_code == 201, placed.get_json()
    [part] = placed.get_json()["parts"]
    assert (part["shop_id"], part["shop_name"]) == (book["shop_id"], "Hogarth Books")
    assert part["subtotal"] == {"amount": 2900, "currency": "EUR"}


def test_add_to_cart_when_shops_is_down_is_503(tmp_path):
    client = orders_client(tmp_path, f"http://127.0.0.1:{closed_port()}")

    response = client.post(
        "/cart/lines", json={"listing_id": "x", "quantity": 1}, headers=support.auth_header("ada")
    )

    assert response.status_code == 503
    assert response.get_json() == {"error": ShopsUnavailable.message}
