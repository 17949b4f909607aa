"""The listing page and the comparison of every shop's offer of one work."""

from __future__ import annotations

import pytest

from tests.gateway.helpers import text
from tests.gateway.shop.factories import a_seller, listing_ids, wait_until_found

ISBN = "9780441478125"


def eur(amount: int) -> dict:
    return {"amount": amount, "currency": "EUR"}


def test_listing_shows_what_the_shop_wrote_escaped(services, live_gateway):
    seller = a_seller(services, about="Second-hand books <b>since</b> 1987.")
    seller.list(
        description="<script>alert('x')</script> A winter journey.",
        photos=["https://img.example.org/cover.jpg"],
        publisher="Ace",
        year=1969,
    )
    client = live_gateway.test_client()
    [listing_id] = listing_ids(wait_until_found(client, q="darkness"))

    page = text(client.get(f"/listings/{listing_id}"))

    assert "<h1>The Left Hand of Darkness</h1>" in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert "very good" in page.lower() and ISBN in page and "Mara&#39;s Books" in page
    assert 'id="add-to-cart"' in page
    if "img.example.org" in page:
        assert 'src="https://img.example.org/cover.jpg"' in page
    if 'id="shop-about"' in page:
        assert "&lt;b&gt;since&lt;/b&gt;" in page


def test_listing_unknown_says_it_is_gone(live_gateway, services):
    response = live_gateway.test_client().get("/listings/not-a-listing")

    assert response.status_code == 404
    assert "This listing is gone" in text(response)


@pytest.fixture
def three_offers(services, live_gateway):  # noqa: ANN001, ANN201
    """The same book from three shops: the cheapest price is not the cheapest total to NL."""
    rates = {
        "domestic_first": eur(300),
        "domestic_additional": eur(100),
        "international_first": eur(1500),
        "international_additional": eur(500),
    }
    near = a_seller(services, "Near Books", country="NL")
    near.change_shop(shipping=rates)
    far = a_seller(services, "Far Books", country="US")
    far.change_shop(shipping=rates)
    picky = a_seller(services, "Picky Books", country="NL")
    near.list(price=eur(1000), condition="good")
    far.list(price=eur(500), condition="fine")
    picky.list(price=eur(2000), condition="poor")
    client = live_gateway.test_client()
    page = wait_until_found(client, 3, q=ISBN)
    work = _work_link(client)
    if work is None:
        pytest.skip("the catalog has no works yet (hits carry no work_id)")
    return client, work, page


def _work_link(client):  # noqa: ANN001, ANN202
    for listing_id in listing_ids(text(client.get("/search", query_string={"q": ISBN}))):
        page = text(client.get(f"/listings/{listing_id}"))
        if 'id="compare-link"' not in page:
            return None
        start = page.index('id="compare-link" href="') + len('id="compare-link" href="')
        return page[start : page.index('"', start)]
    return None


def test_compare_lists_every_offer_cheapest_total_first(three_offers):
    client, work, _ = three_offers

    page = text(client.get(work, query_string={"country": "NL"}))

    assert 'id="offers"' in page
    near, far, picky = (page.index(name) for name in ("Near Books", "Far Books", "Picky Books"))
    assert near < far < picky  # 10 + 3 shipping beats 5 + 15
    assert "€13.00" in page and "€20.00" in page
    assert "shipped to Netherlands" in page
    # The country is remembered for the next page.
    again = text(client.get(work))
    assert '<option value="NL" selected>' in again


def test_compare_filters_by_condition(three_offers):
    client, work, _ = three_offers

    page = text(client.get(work, query_string={"condition_at_least": "good", "country": "NL"}))

    assert "Near Books" in page and "Far Books" in page and "Picky Books" not in page


def test_compare_bad_country_says_so(three_offers):
    client, work, _ = three_offers

    response = client.get(work, query_string={"country": "Narnia"})

    assert response.status_code == 400
    assert "Choose a country from the list." in text(response)


def test_compare_unknown_work_is_a_clear_404(live_gateway, services):
    response = live_gateway.test_client().get("/works/no-such-work")

    assert response.status_code == 404
    assert "We know of no shop offering this book right now." in text(response)


def test_search_by_landed_price_counts_shipping_to_the_shoppers_country(three_offers):
    client, work, _ = three_offers
    client.get(work, query_string={"country": "NL"})  # the compare page remembers it

    page = text(client.get("/search", query_string={"q": ISBN, "sort": "landed_price"}))

    # The result cards come after the filters, whose shop facet names the shops too.
    cards = page[page.index('id="result-count"') :]
    near, far = cards.index("Near Books"), cards.index("Far Books")
    assert near < far  # 10 + 3 from home beats 5 + 15 from abroad
    assert "€13.00 with shipping" in cards and "€20.00 with shipping" in cards
