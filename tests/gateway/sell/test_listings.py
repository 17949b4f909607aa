"""Inventory pages: list an item with every field, edit, delete, change many at once, and
search, filter, sort and page the table.

Against fake services (tests/gateway/fakes.py): each form is checked by what it sends the
shops service, and a refused form by what it shows and that it sent nothing (or only what the
service refused). How the service stores, normalizes and searches listings is tested in
tests/shops/; a listing made through these forms and stored by the live service is in
test_shop_admin_live.py.
"""

from __future__ import annotations

import pytest

from gateway.clients import ServiceError
from tests.gateway.fakes import money
from tests.gateway.helpers import text
from tests.gateway.sell.fakes_shop_admin import (
    a_public_listing,
    an_own_listing,
    bulk_quantity_refused,
    inventory,
    isbn_refused,
    photos_refused,
)
from tests.gateway.sell.helpers import listing_form, submit

LISTINGS = "/shops/shop-1/listings"


@pytest.fixture
def middlemarch(fakes) -> dict:  # noqa: ANN001
    """One listing of Mara's shop, as the edit and delete pages read it."""
    listing = an_own_listing(
        "Middlemarch", isbn="9780141439549", condition="Good", sku="GE-1", year=1871
    )
    fakes.on("GET", f"/listings/{listing['id']}", a_public_listing(listing), service="shops")
    fakes.on("GET", LISTINGS, inventory(listing))
    return listing


def test_new_listing_sends_every_field_and_the_inventory_shows_it(portal, fakes):
    stored = an_own_listing(
        "The Left Hand of Darkness", sku="LG-001", condition="Very Good", price=money(1250)
    )
    fakes.on("POST", LISTINGS, stored)
    fakes.on("GET", LISTINGS, inventory(stored))

    response = submit(portal, "/sell/listings/new", listing_form())

    assert response.status_code == 302
    assert response.headers["Location"] == "/sell/listings"
    assert fakes.sent("POST", LISTINGS) == [
        {
            "title": "The Left Hand of Darkness",
            "author": "Ursula K. Le Guin",
            "isbn": "0-441-47812-3",  # as typed: the service normalizes it
            "sku": "LG-001",
            "publisher": "Ace",
            "year": 1969,
            "binding": "Paperback",
            "condition": "very_good",
            "condition_notes": "Light shelf wear.",
            "description": "A winter journey.",
            "categories": ["Science fiction", "Classics"],
            "photos": ["https://example.org/a.jpg", "https://example.org/b.jpg"],
            "price": {"amount": 1250, "currency": "EUR"},
            "quantity": 2,
        }
    ]
    page = text(portal.get("/sell/listings"))
    assert "Listed “The Left Hand of Darkness”." in page
    assert "The Left Hand of Darkness" in page and "€12.50" in page and "LG-001" in page


def test_new_listing_with_bad_input_shows_messages_and_writes_nothing(portal, fakes):
    fakes.on("POST", LISTINGS, isbn_refused())

    negative = submit(portal, "/sell/listings/new", listing_form(price="-3"))
    no_title = submit(portal, "/sell/listings/new", listing_form(title=""))
    assert fakes.writes() == []  # the page's own checks send nothing
    bad_isbn = submit(portal, "/sell/listings/new", listing_form(isbn="12345"))
    fakes.on("POST", LISTINGS, photos_refused())
    bad_photo = submit(portal, "/sell/listings/new", listing_form(photos="not a url"))

    assert negative.status_code == no_title.status_code == 400
    assert "The price must be more than zero." in text(negative)
    assert "Give the item a title." in text(no_title)
    # The service's own reasons land next to their fields, on the form as typed.
    assert bad_isbn.status_code == bad_photo.status_code == 400
    assert 'id="isbn-error"' in text(bad_isbn) and "an ISBN has 10 or 13 digits" in text(bad_isbn)
    assert 'value="12345"' in text(bad_isbn)
    assert 'id="photos-error"' in text(bad_photo) and "each photo must be" in text(bad_photo)
    assert fakes.writes() == [f"POST {LISTINGS}", f"POST {LISTINGS}"]  # both refused


def test_edit_listing_is_prefilled_and_sends_the_changes(portal, fakes, middlemarch):
    path = f"{LISTINGS}/{middlemarch['id']}"
    fakes.on("PATCH", path, middlemarch | {"revision": 2})

    page = text(portal.get(f"/sell/listings/{middlemarch['id']}/edit"))
    assert 'value="Middlemarch"' in page and 'value="12.00"' in page
    assert 'value="GE-1"' in page and 'value="1871"' in page
    assert 'value="9780141439549"' in page
    assert '<option selected value="good">' in page

    saved = submit(
        portal,
        f"/sell/listings/{middlemarch['id']}/edit",
        listing_form(title="Middlemarch", sku="GE-1", isbn="", price="9.99", quantity="5"),
    )

    assert saved.status_code == 302
    [sent] = fakes.sent("PATCH", path)
    assert sent["price"] == {"amount": 999, "currency": "EUR"} and sent["quantity"] == 5
    assert sent["isbn"] is None  # a blank field clears it
    assert sent["title"] == "Middlemarch" and sent["sku"] == "GE-1"


def test_edit_listing_with_negative_price_sends_nothing(portal, fakes, middlemarch):
    response = submit(portal, f"/sell/listings/{middlemarch['id']}/edit", listing_form(price="-1"))

    assert response.status_code == 400
    assert "The price must be more than zero." in text(response)
    assert fakes.writes() == []


def test_another_shops_listing_is_not_found_and_left_alone(portal, fakes):
    theirs = an_own_listing("Not yours", shop_id="shop-2")
    fakes.on("GET", f"/listings/{theirs['id']}", a_public_listing(theirs), service="shops")
    fakes.on("GET", "/listings/gone", ServiceError(404, "no such listing"), service="shops")

    assert portal.get(f"/sell/listings/{theirs['id']}/edit").status_code == 404
    deleted = submit(portal, f"/sell/listings/{theirs['id']}/delete", {})
    changed = submit(portal, f"/sell/listings/{theirs['id']}/edit", listing_form())

    assert deleted.status_code == changed.status_code == 404
    assert portal.get("/sell/listings/gone/edit").status_code == 404
    assert fakes.writes() == []


def test_delete_listing_asks_then_removes(portal, fakes, middlemarch):
    path = f"{LISTINGS}/{middlemarch['id']}"
    fakes.on("DELETE", path, {})

    confirm = text(portal.get(f"/sell/listings/{middlemarch['id']}/delete"))
    assert 'id="confirm-delete"' in confirm and "Middlemarch" in confirm
    assert fakes.writes() == []  # asking removes nothing

    response = submit(portal, f"/sell/listings/{middlemarch['id']}/delete", {})

    assert response.status_code == 302
    assert fakes.writes() == [f"DELETE {path}"]
    assert "Removed “Middlemarch” from your shop." in text(portal.get("/sell/listings"))


def test_delete_listing_without_csrf_token_removes_nothing(portal, fakes, middlemarch):
    response = portal.post(f"/sell/listings/{middlemarch['id']}/delete", data={})

    assert response.status_code == 400  # refused before the view runs
    assert fakes.writes() == []


def test_bulk_change_sends_the_price_and_copies_for_the_ticked_rows(portal, fakes):
    one, two = an_own_listing("One"), an_own_listing("Two")
    fakes.on("GET", LISTINGS, inventory(one, two, an_own_listing("Three")))
    fakes.on("POST", f"{LISTINGS}/bulk", {"listings": [one, two]})

    response = submit(
        portal,
        "/sell/listings/bulk",
        {
            "listing_ids": [one["id"], two["id"]],
            "price_action": "percent",
            "price_value": "-10",
            "quantity_action": "add",
            "quantity_value": "3",
        },
    )

    assert response.status_code == 302
    assert fakes.sent("POST", f"{LISTINGS}/bulk") == [
        {
            "listing_ids": [one["id"], two["id"]],
            "adjust_price_percent": -10.0,
            "adjust_quantity": 3,
        }
    ]
    assert "Changed 2 listings." in text(portal.get("/sell/listings"))


def test_bulk_change_with_bad_input_writes_nothing(portal, fakes, middlemarch):
    bulk = f"{LISTINGS}/bulk"
    fakes.on("POST", bulk, bulk_quantity_refused(middlemarch, -7))
    ticked = [middlemarch["id"]]

    nothing_ticked = submit(
        portal, "/sell/listings/bulk", {"price_action": "set", "price_value": "5"}
    )
    negative = submit(
        portal,
        "/sell/listings/bulk",
        {"listing_ids": ticked, "price_action": "set", "price_value": "-5"},
    )
    assert fakes.writes() == []  # the page's own checks send nothing
    below_zero = submit(
        portal,
        "/sell/listings/bulk",
        {"listing_ids": ticked, "quantity_action": "add", "quantity_value": "-9"},
    )

    assert nothing_ticked.status_code == 400
    assert "Tick the listings to change first." in text(nothing_ticked)
    assert negative.status_code == 400
    assert "The price must be more than zero." in text(negative)
    # The service refused it whole, naming the listing.
    assert below_zero.status_code == 400
    assert "Nothing changed: Middlemarch: the quantity would become -7" in text(below_zero)
    assert f'value="{middlemarch["id"]}" id="select-{middlemarch["id"]}"' in text(below_zero)
    assert "checked" in text(below_zero)  # the ticked row stays ticked
    assert fakes.writes() == [f"POST {bulk}"]


def test_inventory_asks_for_the_search_filters_sort_and_page_it_shows(portal, fakes):
    asked: list[dict] = []
    volumes = [an_own_listing(f"Volume {number:02d}") for number in range(25)]

    def page_of_inventory(options: dict) -> dict:
        asked.append(options["params"])
        if options["params"].get("q") == "zzzz":
            return inventory()
        if options["params"].get("q") == "dickens":
            return inventory(an_own_listing("Bleak House", author="Charles Dickens"))
        return inventory(*volumes, total=31, page=options["params"]["page"])

    fakes.on("GET", LISTINGS, page_of_inventory)

    first = text(portal.get("/sell/listings?sort=title"))
    second = text(portal.get("/sell/listings?sort=title&page=2"))
    by_author = text(portal.get("/sell/listings?q=dickens"))
    text(portal.get("/sell/listings?in_stock=false&condition=fine&sort=nonsense&page=x"))
    nothing = text(portal.get("/sell/listings?q=zzzz"))

    assert asked == [
        {"per_page": 25, "sort": "title", "page": 1},
        {"per_page": 25, "sort": "title", "page": 2},
        {"per_page": 25, "q": "dickens", "sort": "-updated", "page": 1},
        # An unknown sort or page is the default one.
        {"per_page": 25, "in_stock": "false", "condition": "fine", "sort": "-updated", "page": 1},
        {"per_page": 25, "q": "zzzz", "sort": "-updated", "page": 1},
    ]
    assert "31 listings" in first and "Page 1 of 2" in first and 'rel="next"' in first
    assert "Volume 24" in first
    assert "Page 2 of 2" in second and 'rel="prev"' in second and 'rel="next"' not in second
    assert "1 listing<" in by_author and "Bleak House" in by_author
    assert "No listing matches." in nothing
