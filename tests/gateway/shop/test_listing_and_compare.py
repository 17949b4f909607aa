"""The listing page and the comparison of every shop's offer of one work: what they show of
the catalog's answers, and what they ask it.

Against fake services (tests/gateway/fakes.py): the listing, the work and its offers are
canned answers, shaped as the catalog gives them.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.clients import ServiceError
from tests.gateway.fakes import FakeServices, a_listing
from tests.gateway.helpers import text
from tests.gateway.shop.fakes_storefront import (
    ISBN,
    WORK_ID,
    a_hit,
    a_work,
    an_offer,
    offers_of,
    search_results,
)

WORK = f"/works/{WORK_ID}"


@pytest.fixture
def visitor(app: Flask, fakes: FakeServices) -> FlaskClient:
    return app.test_client()


def test_listing_shows_what_the_shop_wrote_escaped(visitor, fakes):
    listing = a_listing("listing-1") | {
        "title": "The Left Hand of Darkness",
        "isbn": ISBN,
        "condition": "very_good",
        "description": "<script>alert('x')</script> A winter journey.",
        "photos": ["https://img.example.org/cover.jpg", "javascript:alert('x')"],
    }
    listing["shop"] |= {"about": "Second-hand books <b>since</b> 1987."}
    fakes.on("GET", "/listings/listing-1", listing)

    page = text(visitor.get("/listings/listing-1"))

    assert "<h1>The Left Hand of Darkness</h1>" in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert "very good" in page.lower() and ISBN in page and "Mara&#39;s Books" in page
    assert 'id="add-to-cart"' in page
    assert 'src="https://img.example.org/cover.jpg"' in page
    assert "javascript:" not in page  # only web addresses are shown as photos
    assert "&lt;b&gt;since&lt;/b&gt;" in page
    assert 'id="compare-link"' not in page  # a listing of no known work compares nothing


def test_listing_unknown_says_it_is_gone(visitor, fakes):
    fakes.on("GET", "/listings/not-a-listing", ServiceError(404, "no such listing"))

    response = visitor.get("/listings/not-a-listing")

    assert response.status_code == 404
    assert "This listing is gone" in text(response)


def three_offers(options: dict) -> dict:
    """The same book from three shops, as the catalog prices them to the country asked: the
    cheapest price (from abroad) is not the cheapest total to the Netherlands. Listed in no
    particular order."""
    country = (options.get("params") or {}).get("country")
    home, abroad = (300, 1500) if country == "NL" else (None, None)
    return offers_of(
        an_offer("far", "Far Books", price=500, shipping=abroad, shop_country="US"),
        an_offer("picky", "Picky Books", price=2000, shipping=home, condition="poor"),
        an_offer("near", "Near Books", price=1000, shipping=home, condition="good"),
        country=country,
    )


@pytest.fixture
def compare(visitor, fakes):  # noqa: ANN001, ANN201
    fakes.on("GET", WORK, a_work())
    fakes.on("GET", f"{WORK}/offers", three_offers)
    return visitor


def test_compare_lists_every_offer_cheapest_total_first(compare, fakes):
    page = text(compare.get(WORK, query_string={"country": "NL"}))

    assert 'id="offers"' in page and "The Left Hand of Darkness" in page
    near, far, picky = (page.index(name) for name in ("Near Books", "Far Books", "Picky Books"))
    assert near < far < picky  # 10 + 3 shipping beats 5 + 15
    assert "€13.00" in page and "€20.00" in page and "€23.00" in page
    assert "shipped to Netherlands" in page
    # The country is remembered for the next page, which asks the catalog for it.
    again = text(compare.get(WORK))
    assert '<option value="NL" selected>' in again
    asked = [call.options["params"] for call in fakes.asked("GET", f"{WORK}/offers")]
    assert asked == [{"country": "NL"}, {"country": "NL"}]


def test_compare_asks_for_the_work_and_its_offers_together_before_rendering(compare, fakes):
    fakes.forget_calls()

    assert compare.get(WORK, query_string={"country": "NL"}).status_code == 200

    assert {"GET " + WORK, f"GET {WORK}/offers"} <= set(fakes.paths())
    assert [call for call in fakes.calls if call.while_rendering] == []


def test_compare_with_its_offers_down_says_what_waits_for_the_catalog(compare, fakes):
    fakes.down("GET", f"{WORK}/offers")

    response = compare.get(WORK, query_string={"country": "NL"})

    assert response.status_code == 503
    assert "search, the listings and want lists" in text(response)


def test_compare_without_a_country_asks_for_one(compare):
    page = text(compare.get(WORK))

    assert "Choose your country to see each shop's shipping" in page
    assert page.index("Far Books") < page.index("Near Books")  # by price alone


def test_compare_asks_the_catalog_for_the_condition_chosen(compare, fakes):
    page = text(compare.get(WORK, query_string={"condition_at_least": "good", "country": "NL"}))

    [asked] = fakes.asked("GET", f"{WORK}/offers")
    assert asked.options["params"] == {"country": "NL", "condition_at_least": "good"}
    assert '<option value="good" selected>' in page


def test_compare_bad_country_or_condition_says_so(compare, fakes):
    response = compare.get(WORK, query_string={"country": "Narnia", "condition_at_least": "x"})

    assert response.status_code == 400
    page = text(response)
    assert "Choose a country from the list." in page
    assert "Choose a condition from the list." in page
    [asked] = fakes.asked("GET", f"{WORK}/offers")
    assert asked.options["params"] == {}  # neither mistake is passed on


def test_compare_unknown_work_is_a_clear_404(visitor, fakes):
    fakes.on("GET", "/works/no-such-work", ServiceError(404, "no shop offers this work"))

    response = visitor.get("/works/no-such-work")

    assert response.status_code == 404
    assert "We know of no shop offering this book right now." in text(response)


def test_search_by_landed_price_counts_shipping_to_the_shoppers_country(compare, fakes):
    fakes.on(
        "GET",
        "/search",
        search_results(
            a_hit("near", "The Left Hand of Darkness", price=1000, landed_price=1300)
            | {"shop_name": "Near Books"},
            a_hit("far", "The Left Hand of Darkness", price=500, landed_price=2000)
            | {"shop_name": "Far Books"},
            query=ISBN,
        ),
    )
    compare.get(WORK, query_string={"country": "NL"})  # the compare page remembers it

    page = text(compare.get("/search", query_string={"q": ISBN, "sort": "landed_price"}))

    [asked] = fakes.asked("GET", "/search")
    assert asked.options["params"]["sort"] == "landed_price"
    assert asked.options["params"]["ship_to"] == "NL"
    # The result cards come after the filters.
    cards = page[page.index('id="result-count"') :]
    assert cards.index("Near Books") < cards.index("Far Books")
    assert "€13.00 with shipping" in cards and "€20.00 with shipping" in cards
