"""When a service is down the person sees a friendly page, never a stack trace."""

from __future__ import annotations

from flask import Flask

from tests.gateway.helpers import sign_up, text


def test_home_with_catalog_down_shows_the_search_box_and_says_the_newest_are_missing(app: Flask):
    response = app.test_client().get("/")

    assert response.status_code == 200
    page = text(response)
    assert 'id="home-q"' in page
    assert 'id="page-missing"' in page and "the books listed last" in page
    assert "Nothing is listed yet" not in page


def test_a_page_whose_own_service_is_down_says_what_waits_for_it(app: Flask):
    response = app.test_client().get("/search", query_string={"q": "dune"})

    assert response.status_code == 503
    assert "This part of the shop is briefly unavailable" in text(response)
    assert "Not available for now: search, the listings and want lists." in text(response)


def test_seller_portal_with_shops_down_shows_friendly_503(app: Flask):
    client = app.test_client()
    sign_up(client)

    response = client.get("/sell/")

    assert response.status_code == 503
    assert "briefly unavailable" in text(response)
    assert "the shops&#39; pages and the seller portal" in text(response)
    # The layout still knows who is signed in.
    assert "Ada Lovelace" in text(response)


def test_unknown_page_is_an_html_404(app: Flask):
    response = app.test_client().get("/no/such/page")

    assert response.status_code == 404
    assert "We could not find that page" in text(response)
