"""Cart, checkout with the test cards, and the order page's per-part actions."""

from __future__ import annotations

import re

import pytest

from tests import support
from tests.gateway.helpers import post_form, text
from tests.gateway.shop.factories import (
    a_seller,
    a_shopper,
    add_to_cart,
    check_out,
    listing_ids,
    wait_until_found,
)

PART = re.compile(r'id="part-([0-9a-f-]{36})"')
RATES = {
    "domestic_first": {"amount": 300, "currency": "EUR"},
    "domestic_additional": {"amount": 100, "currency": "EUR"},
    "international_first": {"amount": 900, "currency": "EUR"},
    "international_additional": {"amount": 200, "currency": "EUR"},
}


@pytest.fixture
def two_shops(services, live_gateway):  # noqa: ANN001, ANN201
    """Two shops in the Netherlands with one book each, both in Ben's cart."""
    mara = a_seller(services, "Mara's Books")
    mara.change_shop(shipping=RATES)
    kofi = a_seller(services, "Kofi's Corner")
    kofi.change_shop(shipping=RATES)
    mara.list(title="North and South", isbn=None, price={"amount": 1450, "currency": "EUR"})
    kofi.list(title="Cranford", isbn=None, price={"amount": 700, "currency": "EUR"})
    shopper = a_shopper(live_gateway)
    for listing_id in listing_ids(wait_until_found(shopper, 2, q="")):
        assert add_to_cart(shopper, listing_id).status_code == 302
    return shopper, mara, kofi


def test_cart_prices_each_shops_shipping_to_the_chosen_country(two_shops):
    shopper, _, _ = two_shops

    domestic = text(shopper.get("/cart", query_string={"country": "NL"}))
    abroad = text(shopper.get("/cart", query_string={"country": "GB"}))
    remembered = text(shopper.get("/cart"))

    assert "From Mara&#39;s Books" in domestic and "From Kofi&#39;s Corner" in domestic
    assert "Shipping to Netherlands" in domestic
    assert 'id="cart-total">€27.50<' in domestic  # 14.50 + 7.00 + 3.00 + 3.00
    assert 'id="cart-total">€39.50<' in abroad  # 14.50 + 7.00 + 9.00 + 9.00
    assert '<option value="GB" selected>' in remembered


def test_cart_unknown_country_says_so(two_shops):
    shopper, _, _ = two_shops

    page = text(shopper.get("/cart", query_string={"country": "XX"}, follow_redirects=True))

    assert "Choose a country from the list." in page


def test_checkout_page_documents_the_test_cards(two_shops):
    shopper, _, _ = two_shops

    page = text(shopper.get("/checkout"))

    assert 'id="card_number"' in page
    for card in ("4242 4242 4242 4242", "4000 0000 0000 0002", "4000 0000 0000 0341"):
        assert card in page


def test_checkout_declined_card_says_so_and_places_nothing(two_shops):
    shopper, _, _ = two_shops

    response = check_out(shopper, card="4000 0000 0000 0002")

    assert response.status_code == 400
    page = text(response)
    assert "Nothing was charged; try another card." in page
    assert 'id="card_number-error"' in page
    assert "View order" not in text(shopper.get("/orders"))


def test_checkout_card_number_with_letters_is_a_form_message(two_shops):
    shopper, _, _ = two_shops

    response = check_out(shopper, card="4242 abcd")

    assert response.status_code == 400
    assert "Enter the 16 digits on the card" in text(response)


def test_checkout_two_shops_one_order_each_shop_sees_its_part(two_shops):
    shopper, mara, kofi = two_shops

    placed = check_out(shopper, card="4242 4242 4242 4242", country="NL")

    assert placed.status_code == 302
    order_url = placed.headers["Location"]
    page = text(shopper.get(order_url))
    assert len(set(PART.findall(page))) == 2
    assert "card ending 4242" in page and 'id="order-total">€27.50<' in page
    assert page.count("Cancel this part") == 2
    for seller, title in ((mara, "North and South"), (kofi, "Cranford")):
        [part] = support.wait_for(lambda seller=seller: seller.orders())
        assert [line["title"] for line in part["lines"]] == [title]


def test_order_cancel_a_part_then_mark_the_other_received(two_shops):
    shopper, mara, kofi = two_shops
    order_url = check_out(shopper).headers["Location"]
    [mara_part] = support.wait_for(mara.orders)
    [kofi_part] = support.wait_for(kofi.orders)

    cancelled = post_form(shopper, f"{order_url}/parts/{mara_part['id']}/cancel", {}, page="/")
    assert cancelled.status_code == 302
    page = text(shopper.get(order_url))
    assert "Your request to cancel is sent to the shop." in page
    # The shop had not accepted: its side grants the request, and the part follows.
    page = support.wait_for(
        lambda: (html := text(shopper.get(order_url))) and "status-cancelled" in html and html
    )
    assert "You cancelled this part. Its payment is released." in page

    assert kofi.answer(kofi_part["id"], "accept").status_code == 200
    assert kofi.answer(kofi_part["id"], "ship", note="Enjoy!").status_code == 200
    page = support.wait_for(
        lambda: (html := text(shopper.get(order_url))) and "I received it" in html and html
    )
    assert "Paid to the shop" in page
    post_form(shopper, f"{order_url}/parts/{kofi_part['id']}/received", {}, page="/")
    page = text(shopper.get(order_url))
    assert "Thank you for letting the shop know it arrived." in page
    assert "I received it" not in page


def test_order_cancel_after_acceptance_is_refused_with_a_message(two_shops):
    shopper, mara, _ = two_shops
    order_url = check_out(shopper).headers["Location"]
    [part] = support.wait_for(mara.orders)
    assert mara.answer(part["id"], "accept").status_code == 200
    support.wait_for(lambda: "status-accepted" in text(shopper.get(order_url)))

    response = post_form(
        shopper, f"{order_url}/parts/{part['id']}/cancel", {}, follow_redirects=True, page="/"
    )

    page = text(response)
    assert "Your request to cancel is sent" not in page
    assert 'class="flash flash-error"' in page


def test_order_of_someone_else_is_not_found(two_shops, live_gateway):
    shopper, _, _ = two_shops
    order_url = check_out(shopper).headers["Location"]
    stranger = a_shopper(live_gateway, "eve@example.org", "Eve")

    assert stranger.get(order_url).status_code == 404
    refused = post_form(stranger, f"{order_url}/parts/x/cancel", {}, page="/")
    assert refused.status_code == 404


@pytest.mark.parametrize("tampered", ["-1", "1.00", "", "27,50", "١٢٣", "9" * 40])
def test_checkout_with_a_tampered_shown_total_places_nothing(two_shops, tampered):
    shopper, _, _ = two_shops

    response = check_out(shopper, expected_total=tampered)

    assert response.status_code == 400
    page = text(response)
    assert "The total shown could not be read." in page
    assert 'id="checkout-total">€27.50<' in page
    assert "View order" not in text(shopper.get("/orders"))
