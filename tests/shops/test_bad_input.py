"""Bad input to the shops API answers 4xx with a reason and writes nothing: nested JSON,
broken or control characters, made-up country and currency codes, numbers out of range."""

from __future__ import annotations

import pytest

from services.shops.db import Listing, OutboxMessage, Shop
from tests.shops.conftest import listing_body, make_seller

SELLER = make_seller("Camille")


def written(shops) -> tuple[int, int, int]:  # noqa: ANN001 - a ShopsService
    return shops.count(Shop), shops.count(Listing), shops.count(OutboxMessage)


def raw_post(shops, path: str, body: bytes):  # noqa: ANN001, ANN201
    return shops.client.post(
        path, data=body, content_type="application/json", headers=SELLER.headers()
    )


def test_deeply_nested_json_is_refused_not_a_crash(shops):
    shop = shops.open_shop(SELLER)
    before = written(shops)

    for path in ("/shops", f"/shops/{shop['id']}/listings", f"/shops/{shop['id']}/listings/bulk"):
        response = raw_post(shops, path, b"[" * 100_000)
        assert response.status_code == 400, (path, response.status_code)
        assert "JSON" in response.get_json()["error"]
        nested = raw_post(shops, path, b'{"title": ' + b"[" * 40 + b"]" * 40 + b"}")
        assert nested.status_code in (400, 422), (path, nested.status_code)
    assert written(shops) == before


def test_a_body_too_large_is_refused(shops):
    response = raw_post(shops, "/shops", b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}')

    assert response.status_code == 413
    assert shops.count(Shop) == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Livres \ud800", "surrogate"),
        ("Livres \x00", "NUL"),
        ("Livres \x1b[31m", "control character"),
        ("Livres \x7f", "control character"),
    ],
)
def test_broken_or_control_characters_are_refused_in_every_stored_text(shops, text, reason):
    shop = shops.open_shop(SELLER)
    listing = shops.add_listing(SELLER, shop["id"])
    before = written(shops)
    headers = SELLER.headers()
    # json= would refuse to encode a lone surrogate; its escaped form is what a client sends.
    attempts = {
        "shop name": shops.client.post("/shops", json={"name": text, "signature": "C"}),
        "about": shops.client.patch(f"/shops/{shop['id']}", json={"about": text}, headers=headers),
        "title": shops.client.post(
            f"/shops/{shop['id']}/listings", json=listing_body(title=text), headers=headers
        ),
        "description": shops.client.patch(
            f"/shops/{shop['id']}/listings/{listing['id']}",
            json={"description": text},
            headers=headers,
        ),
        "member id": shops.client.post(
            f"/shops/{shop['id']}/members", json={"user_id": text}, headers=headers
        ),
    }

    for what, response in attempts.items():
        assert response.status_code in (401, 422), (what, response.status_code)
        if response.status_code == 422:
            assert reason in response.get_data(as_text=True), what
    assert written(shops) == before


def test_a_nul_in_the_address_is_refused(shops):
    shop = shops.open_shop(SELLER)

    response = shops.client.delete(f"/shops/{shop['id']}/members/sam%00", headers=SELLER.headers())
    search = shops.client.get(
        f"/shops/{shop['id']}/listings", query_string={"q": "a\x00b"}, headers=SELLER.headers()
    )

    assert response.status_code == 400 and search.status_code == 400
    assert "NUL" in search.get_json()["error"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country": "ZZ"}, "country"),
        ({"currency": "ZZZ"}, "currency"),
        ({"country": "XX", "currency": "ABC"}, "currency"),
    ],
)
def test_made_up_country_and_currency_codes_are_refused(shops, changes, field):
    shop = shops.open_shop(SELLER)
    before = written(shops)

    opened = shops.client.post(
        "/shops", json={"name": "Zed", "signature": "Z", **changes}, headers=SELLER.headers()
    )
    patched = shops.client.patch(f"/shops/{shop['id']}", json=changes, headers=SELLER.headers())

    for response in (opened, patched):
        assert response.status_code == 422
        assert "ISO" in response.get_json()["fields"][field]
    assert written(shops) == before


def test_a_listing_in_a_made_up_currency_is_refused(shops):
    shop = shops.open_shop(SELLER)

    response = shops.client.post(
        f"/shops/{shop['id']}/listings",
        json=listing_body(price={"amount": 100, "currency": "ZZZ"}),
        headers=SELLER.headers(),
    )

    assert response.status_code == 422
    assert shops.count(Listing) == 0


@pytest.mark.parametrize("percent", [b"NaN", b"Infinity", b"-Infinity", b"1e308", b"1e999"])
def test_bulk_price_adjustment_refuses_numbers_out_of_range(shops, percent):
    shop = shops.open_shop(SELLER)
    listing = shops.add_listing(SELLER, shop["id"])
    before = written(shops)

    response = raw_post(
        shops,
        f"/shops/{shop['id']}/listings/bulk",
        b'{"listing_ids": ["'
        + listing["id"].encode()
        + b'"], "adjust_price_percent": '
        + percent
        + b"}",
    )

    assert response.status_code in (400, 422)
    assert written(shops) == before
    stored = shops.get(Listing, listing["id"])
    assert stored.price_amount == listing["price"]["amount"]


@pytest.mark.parametrize(
    "body",
    [
        listing_body(quantity=2**63),
        listing_body(quantity=10**30),
        listing_body(price={"amount": 2**63, "currency": "EUR"}),
        listing_body(year=2**40),
    ],
)
def test_listing_numbers_that_overflow_a_column_are_refused(shops, body):
    shop = shops.open_shop(SELLER)

    response = shops.client.post(
        f"/shops/{shop['id']}/listings", json=body, headers=SELLER.headers()
    )

    assert response.status_code in (400, 422)
    assert shops.count(Listing) == 0
