"""Bad input to the catalog's API answers 4xx with a reason and writes nothing."""

from __future__ import annotations

import pytest

from services.catalog.db import Want
from tests import support
from tests.catalog.factories import listing_upserted

SHOPPER = support.auth_header("shopper-1")


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"price_min": "99999999999999999999"}, "price_min"),
        ({"price_max": str(2**64)}, "price_max"),
        ({"price_min": "1", "price_max": str(10**40)}, "price_max"),
        ({"ship_to": "ZZ"}, "ship_to"),
        ({"country": "ZZ"}, "country.0"),
        ({"rating_at_least": "nan"}, "rating_at_least"),
    ],
)
def test_search_refuses_numbers_and_codes_out_of_range(catalog, params, field):
    catalog.deliver(listing_upserted(title="Dune"))

    response = catalog.client.get("/search", query_string={"q": "dune", **params})

    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.get_json()["fields"]


def test_search_refuses_a_nul_in_the_query(catalog):
    response = catalog.client.get("/search", query_string={"q": "du\x00ne"})

    assert response.status_code == 400
    assert "NUL" in response.get_json()["error"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"words": "dune", "ships_to": "ZZ"}, "ships_to"),
        ({"words": "dune", "max_price": {"amount": 1000, "currency": "ZZZ"}}, "max_price.currency"),
        ({"words": "dune \ud800"}, "words"),
        ({"words": "dune", "binding": "hard\x00back"}, "binding"),
    ],
)
def test_a_want_with_a_made_up_code_or_broken_text_is_refused(catalog, body, field):
    response = catalog.client.post("/wants", json=body, headers=SHOPPER)

    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.get_json()["fields"]
    with catalog.runtime.session_factory() as session:
        assert session.query(Want).count() == 0


def test_deeply_nested_json_is_refused(catalog):
    response = catalog.client.post(
        "/wants", data=b"[" * 100_000, content_type="application/json", headers=SHOPPER
    )

    assert response.status_code == 400
