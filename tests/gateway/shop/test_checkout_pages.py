"""The cart, checkout with the test cards, and the order page's per-part actions: what each
page shows from the orders service's answers and what its forms send.

Against fake services (tests/gateway/fakes.py): the cart of two shops, the order and the
service's refusals are canned answers, shaped as the orders service gives them.
"""

from __future__ import annotations

import pytest

from gateway.clients import ServiceError
from tests.gateway.fakes import order_page_answers
from tests.gateway.helpers import post_form, text
from tests.gateway.shop.factories import SHOWN_TOTAL, check_out
from tests.gateway.shop.fakes_storefront import (
    CRANFORD,
    KOFI,
    NORTH_AND_SOUTH,
    a_part,
    a_placed_order,
    an_order_line,
    cart_by_country,
)

ORDER = "/orders/order-1"
DECLINED = (
    "your card ending 0002 was declined by its bank: nothing was charged and nothing was "
    "ordered. Try another card"
)
ACCEPTED_ALREADY = (
    "this part is accepted: it can only be cancelled before the shop accepts it; write to "
    "the shop instead"
)


@pytest.fixture
def two_shops(ben, fakes):  # noqa: ANN001, ANN201
    """Ben's cart: a book from Mara's Books and one from Kofi's Corner, €3.00 shipping each
    to the Netherlands, €9.00 elsewhere; an empty address book."""
    fakes.on("GET", "/cart", cart_by_country(NORTH_AND_SOUTH, CRANFORD))
    fakes.on("PUT", "/cart/country", lambda options: {})
    fakes.on("GET", "/addresses", {"addresses": []})
    return ben


def two_part_order(**mara_part: object) -> dict:
    return a_placed_order(
        "order-1",
        a_part("part-mara", **mara_part),
        a_part("part-kofi", an_order_line("listing-cranford", "Cranford", 700), shop=KOFI),
    )


def test_cart_prices_each_shops_shipping_to_the_chosen_country(two_shops, fakes):
    domestic = text(two_shops.get("/cart", query_string={"country": "NL"}))
    abroad = text(two_shops.get("/cart", query_string={"country": "GB"}))
    remembered = text(two_shops.get("/cart"))

    assert "From Mara&#39;s Books" in domestic and "From Kofi&#39;s Corner" in domestic
    assert "Shipping to Netherlands" in domestic
    assert 'id="cart-total">€27.50<' in domestic  # 14.50 + 7.00 + 3.00 + 3.00
    assert 'id="cart-total">€39.50<' in abroad  # 14.50 + 7.00 + 9.00 + 9.00
    assert '<option value="GB" selected>' in remembered
    # Each choice is kept by the service; the page without one asks for the remembered one.
    assert fakes.sent("PUT", "/cart/country") == [{"country": "NL"}, {"country": "GB"}]
    asked = [call.options["params"] for call in fakes.asked("GET", "/cart")]
    assert asked == [{"country": "NL"}, {"country": "GB"}, {"country": "GB"}]


def test_cart_unknown_country_says_so_and_keeps_nothing(two_shops, fakes):
    page = text(two_shops.get("/cart", query_string={"country": "XX"}, follow_redirects=True))

    assert "Choose a country from the list." in page
    assert fakes.writes() == []


def test_checkout_page_documents_the_test_cards(two_shops):
    page = text(two_shops.get("/checkout"))

    assert 'id="card_number"' in page
    for card in ("4242 4242 4242 4242", "4000 0000 0000 0002", "4000 0000 0000 0341"):
        assert card in page


def test_checkout_declined_card_says_so_once_and_places_nothing(two_shops, fakes):
    fakes.on("POST", "/checkout", ServiceError(402, DECLINED))

    response = check_out(two_shops, card="4000 0000 0000 0002")

    assert response.status_code == 400
    page = text(response)
    assert "was declined by its bank" in page
    # Said once, not once by the provider and again by the page.
    assert page.lower().count("nothing was charged") == 1
    assert page.lower().count("try another card") == 1
    assert 'id="card_number-error"' in page
    assert [body["card_number"] for body in fakes.sent("POST", "/checkout")] == ["4000000000000002"]
    assert fakes.writes() == ["POST /checkout"]


def test_checkout_card_number_with_letters_is_a_form_message_and_sends_nothing(two_shops, fakes):
    response = check_out(two_shops, card="4242 abcd")

    assert response.status_code == 400
    assert "Enter the 16 digits on the card" in text(response)
    assert fakes.writes() == []


def test_checkout_sends_the_address_card_and_shown_total_then_opens_the_order(two_shops, fakes):
    fakes.on("POST", "/checkout", two_part_order())
    order_page_answers(fakes, two_part_order())

    placed = check_out(two_shops, card="4242 4242 4242 4242", country="NL")

    assert placed.status_code == 302
    assert placed.headers["Location"] == ORDER
    [sent] = fakes.sent("POST", "/checkout")
    assert sent["address"] == {
        "name": "Ben Buyer",
        "company_name": "",
        "street_address": "Damrak 1",
        "city": "Amsterdam",
        "postal_code": "1012 LG",
        "country_area": "",
        "country_code": "NL",
    }
    assert (sent["card_number"], sent["expected_total"]) == ("4242424242424242", 2750)
    assert sent["idempotency_key"]
    page = text(two_shops.get(ORDER))
    assert "Thank you! Your order is placed" in page
    assert 'id="part-part-mara"' in page and 'id="part-part-kofi"' in page
    assert "card ending 4242" in page and 'id="order-total">€27.50<' in page
    assert page.count("Cancel this part") == 2


def test_order_cancel_a_part_sends_the_request_and_shows_it_granted(two_shops, fakes):
    order_page_answers(fakes, two_part_order())
    fakes.on("POST", f"{ORDER}/parts/part-mara/cancel", two_part_order())

    cancelled = post_form(two_shops, f"{ORDER}/parts/part-mara/cancel", {}, page="/")

    assert cancelled.status_code == 302
    assert cancelled.headers["Location"] == f"{ORDER}#part-part-mara"
    assert fakes.sent("POST", f"{ORDER}/parts/part-mara/cancel") == [None]  # no reason given
    # The shop side grants it; the order then says so.
    fakes.on("GET", ORDER, two_part_order(status="cancelled"))
    page = text(two_shops.get(ORDER))
    assert "Your request to cancel is sent to the shop." in page
    assert "You cancelled this part. Its payment is released." in page
    assert 'id="voided-part-mara">€17.50<' in page
    assert page.count("Cancel this part") == 1


def test_order_a_shipped_part_is_marked_received(two_shops, fakes):
    shipped = a_part("part-mara", status="shipped", note="Enjoy!")
    order_page_answers(fakes, a_placed_order("order-1", shipped))
    fakes.on("POST", f"{ORDER}/parts/part-mara/received", a_placed_order("order-1", shipped))

    page = text(two_shops.get(ORDER))
    assert "I received it" in page and "Paid to the shop" in page
    received = post_form(two_shops, f"{ORDER}/parts/part-mara/received", {}, page="/")

    assert received.status_code == 302
    assert fakes.writes() == [f"POST {ORDER}/parts/part-mara/received"]
    fakes.on("GET", ORDER, a_placed_order("order-1", a_part("part-mara", status="delivered")))
    page = text(two_shops.get(ORDER))
    assert "Thank you for letting the shop know it arrived." in page
    assert "I received it" not in page


def test_order_cancel_after_acceptance_shows_the_services_refusal(two_shops, fakes):
    order_page_answers(fakes, two_part_order(status="accepted"))
    fakes.on("POST", f"{ORDER}/parts/part-mara/cancel", ServiceError(409, ACCEPTED_ALREADY))

    response = post_form(
        two_shops, f"{ORDER}/parts/part-mara/cancel", {}, follow_redirects=True, page="/"
    )

    page = text(response)
    assert "Your request to cancel is sent" not in page
    assert 'class="flash flash-error"' in page
    assert "it can only be cancelled before the shop accepts it" in page


def test_order_of_someone_else_is_not_found(two_shops, fakes):
    not_yours = ServiceError(404, "no such order")
    fakes.on("GET", ORDER, not_yours)
    fakes.on("POST", f"{ORDER}/parts/part-mara/cancel", not_yours)

    assert two_shops.get(ORDER).status_code == 404
    assert two_shops.get(f"{ORDER}/parts/part-mara/cancel").status_code == 404
    refused = post_form(two_shops, f"{ORDER}/parts/part-mara/cancel", {}, page="/")
    assert refused.status_code == 404


def test_cancel_asks_first_and_sends_the_reason_for_the_shop(two_shops, fakes):
    order_page_answers(fakes, two_part_order())
    fakes.on("POST", f"{ORDER}/parts/part-mara/cancel", two_part_order())
    cancel_url = f"{ORDER}/parts/part-mara/cancel"

    order_page = text(two_shops.get(ORDER))
    asked = text(two_shops.get(cancel_url))

    # The order page links to a question; nothing is cancelled by a single click.
    assert f'href="{cancel_url}"' in order_page
    assert "Cancel your order from Mara&#39;s Books?" in asked and 'id="confirm-cancel"' in asked
    assert 'id="reason"' in asked and f'href="{ORDER}#part-part-mara"' in asked
    assert fakes.writes() == []

    too_long = post_form(two_shops, cancel_url, {"reason": "x" * 401}, page="/")
    assert too_long.status_code == 400
    assert "Keep the reason under 400 characters." in text(too_long)
    assert fakes.writes() == []

    done = post_form(two_shops, cancel_url, {"reason": " Ordered the wrong edition. "}, page="/")
    assert done.status_code == 302
    assert fakes.sent("POST", cancel_url) == [{"reason": "Ordered the wrong edition."}]


@pytest.mark.parametrize("tampered", ["-1", "1.00", "", "27,50", "١٢٣", "9" * 40])
def test_checkout_with_a_tampered_shown_total_places_nothing(two_shops, fakes, tampered):
    response = check_out(two_shops, expected_total=tampered)

    assert response.status_code == 400
    page = text(response)
    assert "The total shown could not be read." in page
    assert 'id="checkout-total">€27.50<' in page
    assert SHOWN_TOTAL.search(page).group(1) == "2750"
    assert fakes.writes() == []
