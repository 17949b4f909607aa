"""Inventory pages: list with every field, edit, delete, bulk changes, search and pages."""

from __future__ import annotations

from tests.gateway.helpers import text
from tests.gateway.sell.helpers import listing_form, submit


def test_new_listing_with_every_field_is_stored_and_shown(seller):
    response = submit(seller.client, "/sell/listings/new", listing_form())

    assert response.status_code == 302
    assert response.headers["Location"] == "/sell/listings"
    [stored] = seller.stored_listings()
    assert stored["isbn"] == "9780441478125"  # normalized to ISBN-13 by the service
    assert stored["sku"] == "LG-001" and stored["year"] == 1969
    assert stored["condition"] == "Very Good"
    assert stored["categories"] == ["Science fiction", "Classics"]
    assert stored["photos"] == ["https://example.org/a.jpg", "https://example.org/b.jpg"]
    assert stored["price"] == {"amount": 1250, "currency": "EUR"}
    page = text(seller.client.get("/sell/listings"))
    assert "The Left Hand of Darkness" in page and "€12.50" in page and "LG-001" in page


def test_new_listing_with_bad_input_shows_messages_and_writes_nothing(seller):
    negative = submit(seller.client, "/sell/listings/new", listing_form(price="-3"))
    bad_isbn = submit(seller.client, "/sell/listings/new", listing_form(isbn="12345"))
    bad_photo = submit(seller.client, "/sell/listings/new", listing_form(photos="not a url"))
    no_title = submit(seller.client, "/sell/listings/new", listing_form(title=""))

    assert negative.status_code == 400
    assert "The price must be more than zero." in text(negative)
    # The service's own reasons land next to their fields.
    assert bad_isbn.status_code == 422 or bad_isbn.status_code == 400
    assert 'id="isbn-error"' in text(bad_isbn)
    assert 'id="photos-error"' in text(bad_photo)
    assert "Give the item a title." in text(no_title)
    assert seller.stored_listings() == []


def test_edit_listing_is_prefilled_and_saves_changes(seller):
    listing = seller.add_listing(
        title="Middlemarch", isbn="9780141439549", condition="Good", sku="GE-1", year=1871
    )

    page = text(seller.client.get(f"/sell/listings/{listing['id']}/edit"))
    assert 'value="Middlemarch"' in page and 'value="12.00"' in page
    assert 'value="GE-1"' in page and 'value="1871"' in page
    assert '<option selected value="good">' in page

    saved = submit(
        seller.client,
        f"/sell/listings/{listing['id']}/edit",
        listing_form(title="Middlemarch", sku="GE-1", isbn="", price="9.99", quantity="5"),
    )

    assert saved.status_code == 302
    [stored] = seller.stored_listings()
    assert stored["price"]["amount"] == 999 and stored["quantity"] == 5
    assert stored["isbn"] is None  # a blank field clears it
    assert stored["revision"] == 2


def test_edit_listing_with_negative_price_changes_nothing(seller):
    listing = seller.add_listing()

    response = submit(
        seller.client, f"/sell/listings/{listing['id']}/edit", listing_form(price="-1")
    )

    assert response.status_code == 400
    assert "The price must be more than zero." in text(response)
    [stored] = seller.stored_listings()
    assert stored["price"]["amount"] == 1200 and stored["revision"] == 1


def test_edit_listing_of_another_shop_is_not_found(seller, live_gateway, services):
    from tests.gateway.sell.conftest import open_shop

    other = open_shop(live_gateway, services, "ines@example.org", "Ines Rare Books", "Ines")
    theirs = other.add_listing(title="Not yours")

    assert seller.client.get(f"/sell/listings/{theirs['id']}/edit").status_code == 404
    deleted = submit(seller.client, f"/sell/listings/{theirs['id']}/delete", {})
    assert deleted.status_code == 404
    assert [item["title"] for item in other.stored_listings()] == ["Not yours"]


def test_delete_listing_asks_then_removes(seller):
    listing = seller.add_listing()

    confirm = text(seller.client.get(f"/sell/listings/{listing['id']}/delete"))
    assert 'id="confirm-delete"' in confirm and "Middlemarch" in confirm
    assert len(seller.stored_listings()) == 1  # asking removes nothing

    response = submit(seller.client, f"/sell/listings/{listing['id']}/delete", {})

    assert response.status_code == 302
    assert seller.stored_listings() == []


def test_delete_listing_without_csrf_token_removes_nothing(seller):
    listing = seller.add_listing()

    response = seller.client.post(f"/sell/listings/{listing['id']}/delete", data={})

    assert response.status_code == 400  # refused before the view runs
    assert len(seller.stored_listings()) == 1


def test_bulk_change_sets_price_and_adds_copies_to_ticked_rows(seller):
    first = seller.add_listing(title="One", price={"amount": 1000})
    second = seller.add_listing(title="Two", price={"amount": 2000})
    untouched = seller.add_listing(title="Three", price={"amount": 3000})

    response = submit(
        seller.client,
        "/sell/listings/bulk",
        {
            "listing_ids": [first["id"], second["id"]],
            "price_action": "percent",
            "price_value": "-10",
            "quantity_action": "add",
            "quantity_value": "3",
        },
    )

    assert response.status_code == 302
    stored = {item["title"]: item for item in seller.stored_listings()}
    assert stored["One"]["price"]["amount"] == 900 and stored["One"]["quantity"] == 5
    assert stored["Two"]["price"]["amount"] == 1800
    assert stored["Three"] == untouched


def test_bulk_change_with_bad_input_writes_nothing(seller):
    listing = seller.add_listing()
    before = seller.stored_listings()

    nothing_ticked = submit(
        seller.client, "/sell/listings/bulk", {"price_action": "set", "price_value": "5"}
    )
    negative = submit(
        seller.client,
        "/sell/listings/bulk",
        {"listing_ids": [listing["id"]], "price_action": "set", "price_value": "-5"},
    )
    below_zero = submit(
        seller.client,
        "/sell/listings/bulk",
        {"listing_ids": [listing["id"]], "quantity_action": "add", "quantity_value": "-9"},
    )

    assert nothing_ticked.status_code == 400
    assert "Tick the listings to change first." in text(nothing_ticked)
    assert negative.status_code == 400
    assert "The price must be more than zero." in text(negative)
    assert below_zero.status_code == 400
    assert "Nothing changed" in text(below_zero) and "quantity would become -7" in text(below_zero)
    assert seller.stored_listings() == before


def test_inventory_searches_filters_sorts_and_pages(seller):
    for number in range(30):
        seller.add_listing(
            title=f"Volume {number:02d}",
            quantity=0 if number % 10 == 0 else 1,
            condition="Fine" if number == 7 else "Good",
        )
    seller.add_listing(title="Bleak House", author="Charles Dickens", sku="CD-1")

    first = text(seller.client.get("/sell/listings?sort=title"))
    assert "31 listings" in first and "Page 1 of 2" in first
    assert "Bleak House" in first and "Volume 23" in first and "Volume 24" not in first
    second = text(seller.client.get("/sell/listings?sort=title&page=2"))
    assert "Volume 29" in second and "Bleak House" not in second

    by_author = text(seller.client.get("/sell/listings?q=dickens"))
    assert "1 listing<" in by_author and "Bleak House" in by_author
    sold_out = text(seller.client.get("/sell/listings?in_stock=false"))
    assert "3 listings" in sold_out and "Volume 10" in sold_out
    fine = text(seller.client.get("/sell/listings?condition=fine"))
    assert "1 listing<" in fine and "Volume 07" in fine
    nothing = text(seller.client.get("/sell/listings?q=zzzz"))
    assert "No listing matches." in nothing
