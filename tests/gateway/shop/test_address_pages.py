"""The shopper's delivery address in the web shop: checkout's per-country messages beside
each field, the address book at /account/addresses, and checkout starting from it."""

from __future__ import annotations

import re

from tests.gateway.helpers import post_form, text
from tests.gateway.shop.factories import a_shopper, check_out
from tests.gateway.shop.test_checkout_pages import two_shops  # noqa: F401

ADDRESS_ROW = re.compile(r'id="address-([0-9a-f-]{36})"')
HOME = {
    "name": "Ben Buyer",
    "address": "Damrak 1",
    "city": "Amsterdam",
    "postal_code": "1012 LG",
    "country": "NL",
}


def test_checkout_shows_the_postal_code_message_beside_its_field_and_places_nothing(
    two_shops,  # noqa: F811
):
    shopper, _, _ = two_shops

    response = check_out(shopper, postal_code="10125")

    assert response.status_code == 400
    page = text(response)
    error = page[page.index('id="postal_code-error"') :]
    assert error[: error.index("</p>")].endswith(
        "This postal code does not look like one from the Netherlands, e.g. 1234 AB."
    )
    assert re.search(r'<input [^>]*aria-invalid="true"[^>]*id="postal_code"', page)
    orders = text(shopper.get("/orders"))
    assert "North and South" not in orders


def test_checkout_for_the_us_names_the_state_and_offers_the_states(two_shops):  # noqa: F811
    shopper, _, _ = two_shops

    page = text(shopper.get("/checkout", query_string={"country": "US"}))

    assert "ZIP code, e.g. 95014." in page
    assert '<option value="CA">California</option>' in page


def test_address_book_add_change_make_default_delete(services, live_gateway):  # noqa: ANN001
    shopper = a_shopper(live_gateway)
    assert "No saved address yet" in text(shopper.get("/account/addresses"))

    bad = post_form(
        shopper, "/account/addresses/new", HOME | {"postal_code": "1"}, page="/account/addresses"
    )
    assert bad.status_code == 400
    assert "does not look like one from the Netherlands" in text(bad)

    home = post_form(shopper, "/account/addresses/new", HOME, page="/account/addresses")
    assert home.status_code == 302
    work = post_form(
        shopper,
        "/account/addresses/new",
        HOME | {"address": "Keizersgracht 2", "postal_code": "1015 CJ"},
        page="/account/addresses",
    )
    assert work.status_code == 302
    page = text(shopper.get("/account/addresses"))
    home_id, work_id = ADDRESS_ROW.findall(page)
    assert "1012 LG AMSTERDAM" in page and "Default address" in page

    changed = post_form(
        shopper,
        f"/account/addresses/{work_id}/edit",
        HOME | {"address": "Keizersgracht 3", "postal_code": "1015 CJ", "make_default": "y"},
        page="/account/addresses",
    )
    assert changed.status_code == 302
    page = text(shopper.get("/account/addresses"))
    assert ADDRESS_ROW.findall(page) == [work_id, home_id]  # the default first
    assert "Keizersgracht 3" in page

    deleted = post_form(
        shopper, f"/account/addresses/{home_id}/delete", {}, page="/account/addresses"
    )
    assert deleted.status_code == 302
    assert ADDRESS_ROW.findall(text(shopper.get("/account/addresses"))) == [work_id]

    other = a_shopper(live_gateway, email="eve@example.org", name="Eve")
    assert other.get(f"/account/addresses/{work_id}/edit").status_code == 404


def test_checkout_starts_from_the_default_address_and_can_save_a_new_one(
    two_shops,  # noqa: F811
):
    shopper, _, _ = two_shops
    post_form(shopper, "/account/addresses/new", HOME, page="/account/addresses")

    page = text(shopper.get("/checkout"))

    assert 'value="Damrak 1"' not in page  # a textarea holds its text inside
    assert "Damrak 1</textarea>" in page
    assert re.search(r'<input [^>]*id="postal_code"[^>]*value="1012 LG"', page)
    assert re.search(r'<option (selected )?value="NL"( selected)?>', page).group(1, 2) != (
        None,
        None,
    )

    placed = check_out(shopper, address="Keizersgracht 3", postal_code="1015 CJ", save_address="y")

    assert placed.status_code == 302
    book = text(shopper.get("/account/addresses"))
    assert "Keizersgracht 3" in book and "Damrak 1" in book
    order = text(shopper.get(placed.headers["Location"]))
    assert "Keizersgracht 3" in order
