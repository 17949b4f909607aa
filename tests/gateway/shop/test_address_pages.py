"""The shopper's delivery address in the web shop: the orders service's per-country
messages beside each field at checkout, the address book at /account/addresses, and
checkout starting from it and saving to it.

Against fake services (tests/gateway/fakes.py): the address book and the service's
refusals are canned answers, shaped as the orders service gives them.
"""

from __future__ import annotations

import re

import pytest

from gateway.clients import ServiceError
from tests.gateway.fakes import order_page_answers
from tests.gateway.helpers import post_form, text
from tests.gateway.shop.factories import KEY, SHOWN_TOTAL, check_out
from tests.gateway.shop.fakes_storefront import (
    CRANFORD,
    NORTH_AND_SOUTH,
    a_placed_order,
    a_postal_address,
    a_saved_address,
    cart_by_country,
)

BOOK = "/account/addresses"
ADDRESS_ROW = re.compile(r'<li id="address-([a-z0-9-]+)"')
NOT_DUTCH = "This postal code does not look like one from the Netherlands, e.g. 1234 AB."
HOME = {
    "name": "Ben Buyer",
    "address": "Damrak 1",
    "city": "Amsterdam",
    "postal_code": "1012 LG",
    "country": "NL",
}
# What the form sends for HOME, in the orders service's field names.
HOME_SENT = {
    "name": "Ben Buyer",
    "company_name": "",
    "street_address": "Damrak 1",
    "city": "Amsterdam",
    "postal_code": "1012 LG",
    "country_area": "",
    "country_code": "NL",
}
HOME_SAVED = a_saved_address("address-home")
WORK_SAVED = a_saved_address(
    "address-work", default=False, street="Keizersgracht 2", postal_code="1015 CJ"
)


@pytest.fixture
def cart(ben, fakes):  # noqa: ANN001, ANN201
    """Ben, with two books in his cart and an empty address book."""
    fakes.on("GET", "/cart", cart_by_country(NORTH_AND_SOUTH, CRANFORD))
    fakes.on("GET", "/addresses", {"addresses": []})
    return ben


def test_checkout_shows_the_postal_code_message_beside_its_field_and_places_nothing(cart, fakes):
    refused = ServiceError(
        422,
        f"this address cannot be used: postal_code: {NOT_DUTCH}",
        {"address.postal_code": NOT_DUTCH},
    )
    fakes.on("POST", "/checkout", refused)

    response = check_out(cart, postal_code="10125")

    assert response.status_code == 400
    page = text(response)
    error = page[page.index('id="postal_code-error"') :]
    assert error[: error.index("</p>")].endswith(NOT_DUTCH)
    assert re.search(r'<input [^>]*aria-invalid="true"[^>]*id="postal_code"', page)
    assert [body["address"]["postal_code"] for body in fakes.sent("POST", "/checkout")] == ["10125"]
    assert fakes.writes() == ["POST /checkout"]


def test_checkout_for_the_us_names_the_state_and_offers_the_states(cart):
    page = text(cart.get("/checkout", query_string={"country": "US"}))

    assert "ZIP code, e.g. 95014." in page
    assert '<option value="CA">California</option>' in page


def test_address_book_lists_the_addresses_as_the_service_orders_them(ben, fakes):
    fakes.on("GET", "/addresses", {"addresses": []})
    assert "No saved address yet" in text(ben.get(BOOK))

    fakes.on(
        "GET",
        "/addresses",
        {"addresses": [WORK_SAVED | {"is_default": True}, HOME_SAVED | {"is_default": False}]},
    )
    page = text(ben.get(BOOK))

    assert ADDRESS_ROW.findall(page) == ["address-work", "address-home"]
    assert "1015 CJ AMSTERDAM" in page and "1012 LG AMSTERDAM" in page
    assert page.count("Default address") == 1
    assert page.count("Make default") == 1


def test_adding_an_address_the_service_refuses_shows_why_beside_the_field(ben, fakes):
    fakes.on("GET", "/addresses", {"addresses": []})
    refused = ServiceError(
        422, f"this address cannot be used: {NOT_DUTCH}", {"postal_code": NOT_DUTCH}
    )
    fakes.on("POST", "/addresses", refused)

    bad = post_form(ben, f"{BOOK}/new", HOME | {"postal_code": "1"}, page=BOOK)

    assert bad.status_code == 400
    page = text(bad)
    assert (
        'id="postal_code-error"' in page and "does not look like one from the Netherlands" in page
    )
    assert fakes.writes() == ["POST /addresses"]


def test_adding_an_address_sends_it_and_whether_it_is_the_default(ben, fakes):
    fakes.on("GET", "/addresses", {"addresses": []})
    fakes.on("POST", "/addresses", HOME_SAVED)

    home = post_form(ben, f"{BOOK}/new", HOME, page=BOOK)
    work = post_form(
        ben,
        f"{BOOK}/new",
        HOME | {"address": "Keizersgracht 2", "postal_code": "1015 CJ", "make_default": "y"},
        page=BOOK,
    )

    assert (home.status_code, home.headers["Location"]) == (302, BOOK)
    assert work.status_code == 302
    first, second = fakes.sent("POST", "/addresses")
    assert first == HOME_SENT | {"default": False}
    assert second["street_address"] == "Keizersgracht 2" and second["default"] is True
    assert "Address saved." in text(ben.get(BOOK))


def test_changing_an_address_starts_from_it_and_sends_the_whole_address(ben, fakes):
    fakes.on("GET", "/addresses", {"addresses": [HOME_SAVED, WORK_SAVED]})
    fakes.on("GET", "/addresses/address-work", WORK_SAVED)
    fakes.on("PUT", "/addresses/address-work", WORK_SAVED)

    form = text(ben.get(f"{BOOK}/address-work/edit"))
    changed = post_form(
        ben,
        f"{BOOK}/address-work/edit",
        HOME | {"address": "Keizersgracht 3", "postal_code": "1015 CJ", "make_default": "y"},
        page=BOOK,
    )

    assert "Keizersgracht 2</textarea>" in form
    assert re.search(r'<input [^>]*id="postal_code"[^>]*value="1015 CJ"', form)
    assert 'id="make_default" name="make_default" type="checkbox" value="y">' in form  # not ticked
    assert changed.status_code == 302
    assert fakes.sent("PUT", "/addresses/address-work") == [
        HOME_SENT | {"street_address": "Keizersgracht 3", "postal_code": "1015 CJ", "default": True}
    ]


def test_deleting_an_address_asks_the_service_to(ben, fakes):
    fakes.on("GET", "/addresses", {"addresses": [WORK_SAVED]})
    fakes.on("DELETE", "/addresses/address-home", {})

    deleted = post_form(ben, f"{BOOK}/address-home/delete", {}, page=BOOK)

    assert (deleted.status_code, deleted.headers["Location"]) == (302, BOOK)
    assert fakes.writes() == ["DELETE /addresses/address-home"]
    assert "Address deleted." in text(ben.get(BOOK))


def test_someone_elses_address_is_not_found(ben, fakes):
    fakes.on("GET", "/addresses/address-eve", ServiceError(404, "no such address"))
    fakes.on("PUT", "/addresses/address-eve", ServiceError(404, "no such address"))

    assert ben.get(f"{BOOK}/address-eve/edit").status_code == 404
    assert post_form(ben, f"{BOOK}/address-eve/edit", HOME, page=BOOK).status_code == 404
    assert fakes.writes() == []


def test_checkout_starts_from_the_default_address(cart, fakes):
    fakes.on("GET", "/addresses", {"addresses": [WORK_SAVED, HOME_SAVED]})

    page = text(cart.get("/checkout"))

    assert 'value="Damrak 1"' not in page  # a textarea holds its text inside
    assert "Damrak 1</textarea>" in page
    assert re.search(r'<input [^>]*id="postal_code"[^>]*value="1012 LG"', page)
    assert re.search(r'<option (selected )?value="NL"( selected)?>', page).group(1, 2) != (
        None,
        None,
    )
    # Asked for another country, the form starts empty rather than from a Dutch address.
    abroad = text(cart.get("/checkout", query_string={"country": "FR"}))
    assert "Damrak 1" not in abroad


def test_checkout_saves_a_new_address_once_the_order_is_placed(cart, fakes):
    fakes.on("GET", "/addresses", {"addresses": [HOME_SAVED]})
    new = a_postal_address("Keizersgracht 3", "1015 CJ")
    fakes.on("POST", "/checkout", a_placed_order("order-1", address=new))
    fakes.on("POST", "/addresses", a_saved_address("address-new", default=False))
    order_page_answers(fakes, a_placed_order("order-1", address=new))

    placed = check_out(cart, address="Keizersgracht 3", postal_code="1015 CJ", save_address="y")

    assert placed.status_code == 302
    assert fakes.sent("POST", "/addresses") == [
        HOME_SENT
        | {"street_address": "Keizersgracht 3", "postal_code": "1015 CJ", "default": False}
    ]
    assert fakes.writes() == ["POST /checkout", "POST /addresses"]
    order = text(cart.get(placed.headers["Location"]))
    assert "Keizersgracht 3" in order


def test_checkout_does_not_save_an_address_already_in_the_book(cart, fakes):
    fakes.on("GET", "/addresses", {"addresses": [HOME_SAVED]})
    fakes.on("POST", "/checkout", a_placed_order("order-1"))

    placed = check_out(cart, save_address="y")

    assert placed.status_code == 302
    assert fakes.writes() == ["POST /checkout"]


def test_an_address_book_out_of_reach_after_the_order_is_placed_still_opens_the_order(cart, fakes):
    fakes.on("POST", "/checkout", a_placed_order("order-1"))
    order_page_answers(fakes, a_placed_order("order-1"))
    form = text(cart.get("/checkout"))
    fakes.down("GET", "/addresses")

    placed = post_form(
        cart,
        "/checkout",
        HOME
        | {
            "idempotency_key": KEY.search(form).group(1),
            "expected_total": SHOWN_TOTAL.search(form).group(1),
            "card_number": "4242 4242 4242 4242",
            "save_address": "y",
        },
        page="/",
    )

    # The order is placed: only the address book missed it, which the order page says.
    assert placed.status_code == 302
    assert placed.headers["Location"] == "/orders/order-1"
    page = text(cart.get("/orders/order-1"))
    assert "the address could not be saved for next time" in page
    assert fakes.writes() == ["POST /checkout"]
