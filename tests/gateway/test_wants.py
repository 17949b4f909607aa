"""Want-list pages against fake services: what the forms send the catalog, how its answers
and refusals read, and the page when the catalog is down. The catalog's own rules (whose
want is whose, what matches) are tested in tests/catalog/test_wants.py; one journey from a
listing to its match runs on the live stack in test_wants_live.py."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.clients import ServiceError
from tests.gateway.fakes import UNREAD_NONE, FakeServices, a_want, a_want_match, money
from tests.gateway.helpers import post_form, sign_up, text


def save_want(client: FlaskClient, *, follow_redirects: bool = False, **fields: str):  # noqa: ANN201
    return post_form(client, "/wants", fields, page="/wants", follow_redirects=follow_redirects)


@pytest.fixture
def shopper(app: Flask, fakes: FakeServices) -> FlaskClient:
    client = app.test_client()
    assert sign_up(client).status_code == 302
    fakes.on("GET", "/shops/mine", {"shops": []})
    fakes.on("GET", "/conversations/unread", UNREAD_NONE)
    fakes.on("GET", "/wants/matches/unread", {"unread": 0})
    fakes.on("GET", "/wants", {"wants": []})
    return client


def test_a_saved_want_is_sent_with_its_filters_and_listed_back(shopper, fakes):
    fakes.on("POST", "/wants", a_want())

    response = save_want(
        shopper,
        words="Left Hand of Darkness",
        condition_at_least="very_good",
        binding="hardcover",
        first_edition="y",
        ships_to="FR",
        max_price="20",
        currency="EUR",
    )

    assert response.status_code == 302
    assert fakes.sent("POST", "/wants") == [
        {
            "words": "Left Hand of Darkness",
            "condition_at_least": "very_good",
            "binding": "hardcover",
            "first_edition": True,
            "ships_to": "FR",
            "max_price": money(2000),
        }
    ]
    saved = a_want(
        words="Left Hand of Darkness",
        condition_at_least="very_good",
        binding="hardcover",
        first_edition=True,
        ships_to="FR",
        max_price=money(2000),
    )
    fakes.on("GET", "/wants", {"wants": [saved]})
    page = text(shopper.get("/wants"))
    assert "We will tell you here when a shop lists a copy" in page  # the flash
    assert "Left Hand of Darkness" in page and 'data-want-id="want-1"' in page
    assert "Very good or better" in page and "Hardcover" in page and "first edition" in page
    assert "ships to France" in page and "at most €20.00 with shipping" in page


def test_the_forms_own_errors_show_beside_their_fields_and_send_nothing(shopper, fakes):
    both = save_want(shopper, words="dune", isbn="9780441172719")
    assert both.status_code == 422
    assert 'id="words-error"' in text(both) and "not both" in text(both)

    bad_price = save_want(shopper, words="dune", max_price="cheap")
    assert bad_price.status_code == 422 and 'id="max_price-error"' in text(bad_price)

    assert fakes.writes() == []
    assert 'id="no-wants"' in text(shopper.get("/wants"))


def test_the_catalogs_refusal_shows_beside_the_field_it_names(shopper, fakes):
    # The ISBN's check digit is the catalog's to check.
    reason = "is not a valid ISBN-10 or ISBN-13 (check the digits)"
    fakes.on("POST", "/wants", ServiceError(422, "invalid want", {"isbn": reason}))

    bad_isbn = save_want(shopper, isbn="978-0-441-17271-8")

    assert bad_isbn.status_code == 422
    assert 'id="isbn-error"' in text(bad_isbn) and "valid ISBN" in text(bad_isbn)
    assert fakes.sent("POST", "/wants") == [{"isbn": "978-0-441-17271-8", "first_edition": False}]

    # The catalog names the words "body"; the form shows them beside its own field.
    fakes.on("POST", "/wants", ServiceError(422, "invalid want", {"body": "is too short"}))
    short = save_want(shopper, words="x")
    assert short.status_code == 422
    assert 'id="words-error"' in text(short) and "is too short" in text(short)


def test_deleting_a_want_asks_the_catalog_and_an_unknown_one_is_already_gone(shopper, fakes):
    fakes.on("GET", "/wants", {"wants": [a_want("want-1")]})
    fakes.on("DELETE", "/wants/want-1", {})

    deleted = post_form(shopper, "/wants/want-1/delete", {}, page="/wants", follow_redirects=True)

    assert [call.path for call in fakes.asked("DELETE", "/wants/want-1")] == ["/wants/want-1"]
    assert "Want deleted." in text(deleted)

    # The catalog answers 404 for a want that is not the shopper's, or no longer there.
    fakes.on("DELETE", "/wants/someone-elses", ServiceError(404, "no such want in your list"))
    gone = post_form(
        shopper, "/wants/someone-elses/delete", {}, page="/wants", follow_redirects=True
    )
    assert gone.status_code == 200 and "already gone" in text(gone)


def test_search_links_to_a_want_prefilled_with_the_query(shopper, fakes):
    hit = {
        "listing_id": "listing-1",
        "shop_id": "shop-1",
        "shop_name": "Mara's Books",
        "title": "Dune",
        "author": "Frank Herbert",
        "condition": "good",
        "price": money(900),
        "quantity": 1,
    }
    fakes.on("GET", "/search", {"hits": [hit], "total": 1, "page": 1, "facets": {}})
    fakes.on("GET", "/people/buyers", {"buyers": {}})

    page = text(shopper.get("/search", query_string={"q": "nothing like this"}))
    assert 'id="want-this" href="/wants?q=nothing+like+this"' in page

    form = text(shopper.get("/wants", query_string={"q": "nothing like this"}))
    assert 'id="words" maxlength="200" name="words" type="text" value="nothing like this"' in form

    isbn = text(shopper.get("/wants", query_string={"q": "978-0-441-17271-9"}))
    assert 'name="isbn" type="text" value="978-0-441-17271-9"' in isbn


def test_the_matches_page_shows_new_matches_once_then_marks_them_read(shopper, fakes):
    fakes.on("GET", "/wants/matches", {"matches": [a_want_match()], "unread": 1})
    fakes.on("POST", "/wants/matches/read", {"unread": 0})
    fakes.on("GET", "/covers", {"covers": {}})

    page = text(shopper.get("/wants/matches"))

    assert 'href="/listings/listing-1"' in page
    assert "The Left Hand of Darkness" in page and "Mara&#39;s Books" in page
    assert 'class="match unread"' in page
    assert len(fakes.asked("POST", "/wants/matches/read")) == 1

    fakes.on("GET", "/wants/matches", {"matches": [a_want_match(read=True)], "unread": 0})
    again = text(shopper.get("/wants/matches"))
    assert 'class="match unread"' not in again
    assert len(fakes.asked("POST", "/wants/matches/read")) == 1  # nothing new to mark


def test_the_menu_shows_how_many_matches_are_new(shopper, fakes):
    fakes.on("GET", "/wants/matches/unread", {"unread": 3})

    assert 'id="wants-badge">3<' in text(shopper.get("/wants"))


def test_wants_pages_need_a_signed_in_shopper(app: Flask):
    client = app.test_client()

    for page in ("/wants", "/wants/matches"):
        response = client.get(page)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_with_the_catalog_down_the_form_shows_and_the_saved_wants_are_said_missing(app: Flask):
    client = app.test_client()
    sign_up(client)

    orders = client.get("/orders")
    assert orders.status_code == 503
    assert 'id="wants-link"' in text(orders) and 'id="wants-badge"' not in text(orders)

    page = client.get("/wants")
    assert page.status_code == 200
    assert 'id="want-form"' in text(page)
    assert 'id="page-missing"' in text(page) and "your saved wants" in text(page)
    assert 'id="no-wants"' not in text(page)
