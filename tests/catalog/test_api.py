"""The catalog's HTTP API: the shape of /search and /listings, and its answers to bad input."""

from __future__ import annotations

import pytest

from services.common.contracts import Money, ShippingRates
from tests.catalog.factories import listing_upserted, shop_updated


@pytest.fixture
def database_url(sqlite_url):
    # The API reads the same tables as the handlers; one backend is enough here.
    return sqlite_url


def test_search_returns_hits_in_the_documented_shape(catalog):
    catalog.deliver(shop_updated(shop_id="shop-1", name="Bag End Books"))
    listing = listing_upserted(
        shop_id="shop-1", title="The <Hobbit>", price=Money(amount=1250, currency="EUR")
    )
    catalog.deliver(listing)

    body = catalog.search("hobbit tolk")

    assert (body["query"], body["total"], body["page"], body["per_page"]) == (
        "hobbit tolk",
        1,
        1,
        20,
    )
    assert body["hits"] == [
        {
            "listing_id": listing.listing_id,
            "work_id": "isbn-9780261102217",
            "offers_count": 1,
            "shop_id": "shop-1",
            "shop_name": "Bag End Books",
            "shop_country": "GB",
            "shop_town": None,
            "title": "The <Hobbit>",
            "author": listing.author,
            "isbn": listing.isbn,
            "publisher": None,
            "year": None,
            "binding": None,
            "categories": [],
            "condition": listing.condition,
            "price": {"amount": 1250, "currency": "EUR"},
            "quantity": 1,
            "photo": None,
            "cover": None,
            "shop_logo": None,
            "landed_price": None,
            "shipping_service": None,
            "distance_km": None,
            "created_at": listing.created_at.isoformat(),
            "shop_rating": None,
            "shop_reviews": 0,
            "highlight": {
                "title": "The &lt;<mark>Hobbit</mark>&gt;",
                "author": "J. R. R. <mark>Tolkien</mark>",
            },
        }
    ]


def test_search_prices_each_hit_and_sorts_by_the_rate_to_ship_to(catalog):
    def rates(domestic: int, international: int) -> ShippingRates:
        money = {"currency": "EUR"}
        return ShippingRates(
            domestic_first=Money(amount=domestic, **money),
            domestic_additional=Money(amount=0, **money),
            international_first=Money(amount=international, **money),
            international_additional=Money(amount=0, **money),
        )

    catalog.deliver(shop_updated(shop_id="gb", country="GB", shipping=rates(300, 2000)))
    catalog.deliver(shop_updated(shop_id="fr", country="FR", shipping=rates(100, 900)))
    from_gb = listing_upserted(shop_id="gb", title="Dune", price=Money(amount=1000, currency="EUR"))
    from_fr = listing_upserted(shop_id="fr", title="Dune", price=Money(amount=500, currency="EUR"))
    catalog.deliver(from_gb)
    catalog.deliver(from_fr)

    to_gb = catalog.search("dune", sort="landed_price", ship_to="gb")["hits"]
    to_fr = catalog.search("dune", sort="landed_price", ship_to="FR")["hits"]

    assert [(h["listing_id"], h["landed_price"]["amount"]) for h in to_gb] == [
        (from_gb.listing_id, 1300),
        (from_fr.listing_id, 1400),
    ]
    assert [(h["listing_id"], h["landed_price"]["amount"]) for h in to_fr] == [
        (from_fr.listing_id, 600),
        (from_gb.listing_id, 3000),
    ]


def test_search_refuses_a_ship_to_that_is_not_a_country_code(catalog):
    response = catalog.client.get("/search", query_string={"q": "dune", "ship_to": "GBR"})

    assert response.status_code == 422
    assert "ship_to" in response.get_json()["fields"]


def test_search_pages_through_results(catalog):
    for n in range(3):
        catalog.deliver(listing_upserted(title=f"Hobbit {n}"))

    body = catalog.search("hobbit", page=2, per_page=2)

    assert (body["total"], body["page"], body["per_page"], len(body["hits"])) == (3, 2, 2, 1)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"page": "0"}, "page"),
        ({"page": "many"}, "page"),
        ({"page": str(10**30)}, "page"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "101"}, "per_page"),
        ({"q": "x" * 301}, "q"),
    ],
)
def test_search_refuses_out_of_range_parameters(catalog, params, field):
    response = catalog.client.get("/search", query_string=params)

    assert response.status_code == 422
    body = response.get_json()
    assert field in body["fields"]
    assert body["error"].startswith("invalid search")


@pytest.mark.parametrize("q", ['"foo', "AND OR (", "NEAR(", "*", "-hobbit", "'; DROP TABLE x"])
def test_search_answers_odd_queries_without_error(catalog, q):
    catalog.deliver(listing_upserted(title="The Hobbit"))

    response = catalog.client.get("/search", query_string={"q": q})

    assert response.status_code == 200


def test_listing_returns_indexed_listing_with_its_shop(catalog):
    catalog.deliver(shop_updated(shop_id="shop-1", name="Bag End Books", signature="Bilbo"))
    listing = listing_upserted(shop_id="shop-1", description="Signed by the author.")
    catalog.deliver(listing)

    response = catalog.client.get(f"/listings/{listing.listing_id}")

    assert response.status_code == 200
    body = response.get_json()
    assert body["title"] == listing.title
    assert body["description"] == "Signed by the author."
    assert body["price"] == {"amount": 1250, "currency": "EUR"}
    assert body["shop"] == {
        "id": "shop-1",
        "slug": "hobbit-hole-books",
        "name": "Bag End Books",
        "signature": "Bilbo",
        "country": "GB",
        "about": "",
        "on_vacation": False,
        "town": None,
        "latitude": None,
        "longitude": None,
        "logo": None,
        "banner": None,
        "reputation": {"average": 0.0, "count": 0, "positive_share": 0.0},
    }


def test_listing_is_not_found_when_never_indexed(catalog):
    response = catalog.client.get("/listings/no-such-listing")

    assert response.status_code == 404
    assert "error" in response.get_json()


def test_readyz_checks_the_search_index(catalog, broker):
    response = catalog.client.get("/readyz")

    assert response.status_code == 200, response.get_json()
