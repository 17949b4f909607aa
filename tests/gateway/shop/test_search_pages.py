"""The search page and the header's instant results: what they show of the catalog's
answer, and what they ask it.

Against fake services (tests/gateway/fakes.py): the catalog's results are canned answers,
shaped as the catalog gives them (highlights already escaped, with `<mark>` around what
matched).
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.clients import ServiceError
from tests.gateway.fakes import FakeServices
from tests.gateway.helpers import text
from tests.gateway.shop.factories import search_page
from tests.gateway.shop.fakes_storefront import a_hit, search_results

GASKELL = "Elizabeth <mark>Gaskell</mark>"
NORTH = a_hit(
    "listing-north",
    "North and South",
    author="Elizabeth Gaskell",
    condition="good",
    price=800,
    highlight={"title": "North and South", "author": GASKELL},
)
BARTON = a_hit(
    "listing-barton",
    "Mary Barton",
    author="Elizabeth Gaskell",
    condition="fine",
    price=2400,
    highlight={"title": "<mark>Mary</mark> Barton", "author": GASKELL},
)
FACETS = {"condition": {"fine": 1, "good": 1}, "shop": {"shop-mara": 2}, "country": {"NL": 2}}


@pytest.fixture
def two_books(app: Flask, fakes: FakeServices) -> FlaskClient:
    """A visitor, and a catalog that finds two books by Elizabeth Gaskell."""
    fakes.on("GET", "/search", search_results(NORTH, BARTON, query="gaskell", facets=FACETS))
    return app.test_client()


def catalog_asked(fakes: FakeServices) -> list[dict]:
    return [call.options["params"] for call in fakes.asked("GET", "/search")]


def test_search_shows_cards_with_title_author_condition_price_and_shop(two_books, fakes):
    page = search_page(two_books, q="gaskel")

    assert "2 items" in page
    assert "<mark>Gaskell</mark>" in page  # the catalog's highlight, not escaped
    assert "North and South" in page and "<mark>Mary</mark> Barton" in page
    assert "€8.00" in page and "€24.00" in page
    assert "Mara&#39;s Books" in page and "Good" in page
    assert 'id="filters"' in page and 'id="sort"' in page and 'id="price_min"' in page
    [asked] = catalog_asked(fakes)
    assert (asked["q"], asked["page"], asked["per_page"]) == ("gaskel", 1, 20)


def test_a_title_without_a_highlight_is_escaped(two_books, fakes):
    fakes.on("GET", "/search", search_results(NORTH | {"title": "<i>North</i>", "highlight": {}}))

    page = search_page(two_books, q="north")

    assert "&lt;i&gt;North&lt;/i&gt;" in page and "<i>North</i>" not in page


def test_search_filters_keep_the_other_parameters(two_books):
    page = search_page(two_books, q="gaskell", price_max="10", sort="price")

    assert 'name="q" value="gaskell"' in page
    assert 'id="price_max" name="price_max" inputmode="decimal" value="10"' in page
    assert '<option value="price" selected>' in page
    # Removing one filter keeps the query and the other filter.
    assert 'href="/search?q=gaskell&amp;sort=price"' in page


def test_search_price_filter_is_sent_to_the_catalog_in_cents(two_books, fakes):
    search_page(two_books, q="gaskell", price_min="5", price_max="12,50")

    [asked] = catalog_asked(fakes)
    assert (asked["price_min"], asked["price_max"]) == (500, 1250)


def test_search_bad_price_and_condition_show_messages_and_are_not_sent(two_books, fakes):
    response = two_books.get(
        "/search", query_string={"q": "gaskell", "price_min": "cheap", "condition_at_least": "x"}
    )

    page = text(response)
    assert response.status_code == 400
    assert "Enter the lowest price as a number, such as 5 or 12.50." in page
    assert "Choose a condition from the list." in page
    assert 'aria-invalid="true"' in page
    [asked] = catalog_asked(fakes)
    assert "price_min" not in asked and "condition_at_least" not in asked


def test_a_filter_the_catalog_refuses_is_said_beside_the_form(two_books, fakes):
    refusal = ServiceError(422, "bad search", {"price_max": "The catalog cannot go so high."})
    fakes.on("GET", "/search", refusal)

    response = two_books.get("/search", query_string={"q": "gaskell", "price_max": "900000"})

    assert response.status_code == 400
    assert 'id="price_max-error"' in text(response)
    assert "The catalog cannot go so high." in text(response)


def test_search_facets_link_to_the_same_search_with_one_more_filter(two_books):
    page = search_page(two_books, q="gaskell")

    assert 'id="facet-condition"' in page and "(1)" in page
    assert 'href="/search?q=gaskell&amp;condition=fine"' in page
    assert 'href="/search?q=gaskell&amp;shop=shop-mara"' in page
    # A shop's facet is named as its hits name it.
    facet = page[page.index('id="facet-shop"') :]
    assert "Mara&#39;s Books" in facet[: facet.index("</nav>")]


def test_search_nothing_found_offers_help(two_books, fakes):
    fakes.on("GET", "/search", search_results(query="zzqxjv"))

    page = search_page(two_books, q="zzqxjv")

    assert 'id="no-results"' in page
    assert "Nothing matches “zzqxjv”" in page
    assert "Browse everything in stock" in page


def test_search_did_you_mean_links_to_the_suggestion(two_books, fakes):
    fakes.on("GET", "/search", search_results(query="mory barton", suggestions=("mary barton",)))

    page = search_page(two_books, q="mory barton", condition_at_least="good")

    assert "Did you mean" in page
    assert (
        '<a class="suggestion" href="/search?q=mary+barton&amp;condition_at_least=good">'
        "mary barton</a>" in page
    )


def test_instant_returns_a_few_safe_hits_as_json(two_books, fakes):
    fakes.on("GET", "/search", search_results(BARTON, query="mary"))

    response = two_books.get("/search/instant", query_string={"q": "mary"})

    body = response.get_json()
    assert response.status_code == 200
    [hit] = body["hits"]
    assert hit["title_html"] == "<mark>Mary</mark> Barton"
    assert hit["price"] == "€24.00" and hit["shop_name"] == "Mara's Books"
    assert hit["url"] == "/listings/listing-barton"
    assert body["more_url"] == "/search?q=mary"
    [asked] = catalog_asked(fakes)
    assert (asked["q"], asked["per_page"]) == ("mary", 6)
    assert two_books.get("/search/instant?q=").get_json()["hits"] == []
    assert len(catalog_asked(fakes)) == 1  # an empty box asks nothing


def test_header_search_box_works_without_javascript(two_books):
    page = text(two_books.get("/"))

    assert 'action="/search" method="get"' in page
    assert 'data-instant="/search/instant"' in page
    assert 'role="combobox"' in page and 'aria-controls="instant-results"' in page
