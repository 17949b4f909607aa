"""Want-list pages: saving wants, the nav badge and the matches, against the real services."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests import support
from tests.gateway.helpers import post_form, sign_up, text
from tests.gateway.shop.factories import a_seller, a_shopper

WANT_ID = re.compile(r'data-want-id="([0-9a-f-]{36})"')


def save_want(client, *, follow_redirects: bool = False, **fields: str):  # noqa: ANN001, ANN201
    return post_form(client, "/wants", fields, page="/wants", follow_redirects=follow_redirects)


@pytest.fixture
def shopper(live_gateway: Flask):  # noqa: ANN201
    return a_shopper(live_gateway)


def test_saved_want_is_listed_with_its_filters(shopper):
    response = save_want(
        shopper,
        words="Left Hand of Darkness",
        condition_at_least="very_good",
        binding="hardcover",
        first_edition="y",
        ships_to="FR",
        max_price="20",
        currency="EUR",
        follow_redirects=True,
    )

    page = text(response)
    assert response.status_code == 200
    assert "We will tell you here when a shop lists a copy" in page
    assert "Left Hand of Darkness" in page
    assert "Very good or better" in page and "Hardcover" in page and "first edition" in page
    assert "ships to France" in page and "at most €20.00 with shipping" in page


def test_want_form_shows_errors_next_to_the_fields(shopper):
    both = save_want(shopper, words="dune", isbn="9780441172719")
    assert both.status_code == 422
    assert 'id="words-error"' in text(both) and "not both" in text(both)

    bad_isbn = save_want(shopper, isbn="978-0-441-17271-8")
    assert bad_isbn.status_code == 422
    assert 'id="isbn-error"' in text(bad_isbn) and "valid ISBN" in text(bad_isbn)

    bad_price = save_want(shopper, words="dune", max_price="cheap")
    assert bad_price.status_code == 422 and 'id="max_price-error"' in text(bad_price)

    assert 'id="no-wants"' in text(shopper.get("/wants"))


def test_want_can_be_deleted(shopper):
    save_want(shopper, words="Dune")
    want_id = WANT_ID.search(text(shopper.get("/wants"))).group(1)

    response = post_form(shopper, f"/wants/{want_id}/delete", {}, page="/wants")

    assert response.status_code == 302
    assert 'id="no-wants"' in text(shopper.get("/wants"))


def test_another_shopper_cannot_delete_my_want(live_gateway, shopper):
    save_want(shopper, words="Dune")
    want_id = WANT_ID.search(text(shopper.get("/wants"))).group(1)
    other = a_shopper(live_gateway, email="eve@example.org", name="Eve")

    response = post_form(
        other, f"/wants/{want_id}/delete", {}, page="/wants", follow_redirects=True
    )

    assert "already gone" in text(response)
    assert want_id not in text(other.get("/wants"))
    assert want_id in text(shopper.get("/wants"))


def test_search_links_to_a_want_prefilled_with_the_query(shopper):
    page = text(shopper.get("/search", query_string={"q": "nothing like this"}))
    assert 'id="want-this" href="/wants?q=nothing+like+this"' in page

    form = text(shopper.get("/wants", query_string={"q": "nothing like this"}))
    assert 'id="words" maxlength="200" name="words" type="text" value="nothing like this"' in form

    isbn = text(shopper.get("/wants", query_string={"q": "978-0-441-17271-9"}))
    assert 'name="isbn" type="text" value="978-0-441-17271-9"' in isbn


def test_matching_listing_shows_a_badge_then_the_match(services, shopper):
    save_want(shopper, words="left hand darkness")
    seller = a_seller(services)
    listing = seller.list(title="The Left Hand of Darkness", quantity=1)
    seller.list(title="The Dispossessed")

    support.wait_for(lambda: 'id="wants-badge"' in text(shopper.get("/wants")))
    assert re.search(r'id="wants-badge">1<', text(shopper.get("/wants")))

    centre = text(shopper.get("/notifications"))
    assert 'id="want-notifications-title"' in centre
    assert f'href="/listings/{listing["id"]}"' in centre

    page = text(shopper.get("/wants/matches"))
    assert f'href="/listings/{listing["id"]}"' in page
    assert "The Left Hand of Darkness" in page and "Mara&#39;s Books" in page
    assert "The Dispossessed" not in page
    assert 'class="match unread"' in page
    # Opened once, they are read: no badge, no "new" marks.
    assert 'id="wants-badge"' not in text(shopper.get("/wants"))
    assert 'class="match unread"' not in text(shopper.get("/wants/matches"))


def test_wants_pages_need_a_signed_in_shopper(app: Flask):
    client = app.test_client()

    for page in ("/wants", "/wants/matches"):
        response = client.get(page)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_nav_stays_up_when_the_catalog_is_down(app: Flask):
    client = app.test_client()
    sign_up(client)

    page = client.get("/orders")
    assert page.status_code == 503
    assert 'id="wants-link"' in text(page) and 'id="wants-badge"' not in text(page)
    assert client.get("/wants").status_code == 503
