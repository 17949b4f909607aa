"""The HTTP adapter of the ListingDirectory port against real HTTP servers on threads."""

from __future__ import annotations

import socket

import pytest
from flask import Flask, jsonify

from services.orders.domain.money import Money
from services.orders.listings import ListingInfo, ShopsUnavailable
from services.orders.shops_client import HttpListingDirectory
from tests.support import serving

LISTING_ID = "0b6f2a5e-8a51-4d83-9d5c-4f1b3a0e7c11"


def listing_json(**changes: object) -> dict:
    """A listing in the shape docs/api.md gives for the shops service's GET /listings/<id>."""
    return {
        "id": LISTING_ID,
        "shop_id": "shop-1",
        "sku": None,
        "title": "The Waves",
        "author": "Virginia Woolf",
        "isbn": None,
        "condition": "good",
        "description": "",
        "price": {"amount": 1450, "currency": "eur"},
        "quantity": 2,
        "revision": 3,
        "created_at": "2025-01-01T00:00:00+00:00",
        "updated_at": "2025-01-01T00:00:00+00:00",
        "shop": {"id": "shop-1", "name": "Hogarth Books", "slug": "hogarth", "signature": "L."},
        **changes,
    }


def fake_shops(status: int = 200, body: object = None) -> Flask:
    app = Flask("fake-shops")

    @app.get("/listings/<listing_id>")
    def get_listing(listing_id: str):
        if listing_id != LISTING_ID:
            return jsonify(error="no such listing"), 404
        return jsonify(listing_json() if body is None else body), status

    return app


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_get_reads_the_documented_listing_shape():
    with serving(fake_shops()) as url:
        info = HttpListingDirectory(url).get(LISTING_ID)
    assert info == ListingInfo(
        id=LISTING_ID,
        shop_id="shop-1",
        shop_name="Hogarth Books",
        title="The Waves",
        price=Money(1450, "EUR"),
        quantity=2,
    )


def test_get_unknown_listing_returns_none():
    with serving(fake_shops()) as url:
        assert HttpListingDirectory(url).get("not-there") is None


def test_get_quotes_the_id_into_one_path_segment():
    with serving(fake_shops()) as url:
        assert HttpListingDirectory(url).get("../shops/mine") is None


@pytest.mark.parametrize(("status", "body"), [(500, {"error": "boom"}), (200, {"id": 1})])
def test_get_server_error_or_unreadable_body_is_unavailable(status, body):
    with serving(fake_shops(status, body)) as url, pytest.raises(ShopsUnavailable):
        HttpListingDirectory(url).get(LISTING_ID)


def test_get_when_shops_is_down_is_unavailable():
    with pytest.raises(ShopsUnavailable):
        HttpListingDirectory(f"http://127.0.0.1:{closed_port()}", timeout=1).get(LISTING_ID)
