"""The customer book in the seller portal: the list, one customer with notes and tags, and
what the order page says about a first or returning buyer.

Against fake services (tests/gateway/fakes.py, fakes_orders.py). The shops service's own
rules (tags trimmed and deduplicated, twenty at most, who may read the book) are tested in
tests/shops/test_customer_book.py; here, what the pages show and what the forms send.
"""

from __future__ import annotations

import pytest

from gateway.clients import ServiceError
from gateway.views.sell_customers import ordinal
from tests.gateway.fakes import seller_answers
from tests.gateway.helpers import sign_up, text
from tests.gateway.sell.fakes_orders import (
    a_customer,
    a_customer_record,
    a_seller_order,
    customers_page,
    seller_order_answers,
)
from tests.gateway.sell.helpers import submit

NOTE = "Collects first editions.\nNo plastic wrapping, please."
BEN = "/sell/customers/ben"
SHOPS_BEN = "/shops/shop-1/customers/ben"


def test_a_first_order_says_so_and_links_to_the_buyer_in_the_book(portal, fakes):
    seller_order_answers(fakes, a_seller_order())

    page = text(portal.get("/sell/orders/so-1"))

    assert "First order from Ben Buyer." in page
    assert 'href="/sell/customers/ben?shop=shop-1"' in page
    assert 'id="order-customer-notes"' not in page and "add a note for next time" in page


def test_a_returning_customers_order_shows_the_count_and_the_shops_notes_and_tags(portal, fakes):
    customer = {"returning": True, "earlier_orders": 1, "notes": NOTE, "tags": ["first editions"]}
    seller_order_answers(fakes, a_seller_order("so-2", customer=customer))

    page = text(portal.get("/sell/orders/so-2"))

    assert "Returning customer: 2nd order with you." in page
    assert "Collects first editions.\nNo plastic wrapping, please." in page
    assert "<li>first editions</li>" in page
    assert "add a note for next time" not in page


def test_the_customers_page_lists_the_book_and_passes_search_and_sort_on(portal, fakes):
    fakes.on(
        "GET",
        "/shops/shop-1/customers",
        customers_page(a_customer(), a_customer("cleo", "Cleo Reader", tags=["regular"])),
    )

    page = text(portal.get("/sell/customers?q=%20cle%20&sort=name&page=2"))

    assert 'id="customers"' in page and 'id="customers-total">2 people<' in page
    assert 'href="/sell/customers/ben"' in page and 'href="/sell/customers/cleo"' in page
    assert page.index("Ben Buyer") < page.index("Cleo Reader")  # as the service sorted them
    assert '<a href="/sell/customers" aria-current="page">Customers</a>' in page
    [asked] = fakes.asked("GET", "/shops/shop-1/customers")
    assert asked.options["params"] == {"q": "cle", "sort": "name", "page": 2, "per_page": 25}


def test_an_unknown_sort_asks_for_the_latest_orders_first(portal, fakes):
    fakes.on("GET", "/shops/shop-1/customers", customers_page(a_customer()))

    text(portal.get("/sell/customers?sort=secret&page=x"))

    [asked] = fakes.asked("GET", "/shops/shop-1/customers")
    assert asked.options["params"] == {"sort": "-last_order", "page": 1, "per_page": 25}


def test_a_search_that_finds_nobody_and_an_empty_book_say_so(portal, fakes):
    fakes.on("GET", "/shops/shop-1/customers", customers_page())

    nobody = text(portal.get("/sell/customers?q=zelda"))
    empty = text(portal.get("/sell/customers"))

    assert "Nobody by that name." in nobody
    assert "No customers yet" in empty and 'id="customers-total">0 people<' in empty


def test_one_customer_shows_their_orders_as_the_service_lists_them(portal, fakes):
    first, second = a_seller_order("so-1"), a_seller_order("so-2", title="Shirley")
    fakes.on("GET", SHOPS_BEN, a_customer_record(a_customer(), second, first, notes=NOTE))

    page = text(portal.get(BEN))

    assert "2 orders with Mara&#39;s Books" in page
    assert page.index('data-shop-order-id="so-2"') < page.index('data-shop-order-id="so-1"')
    assert "Collects first editions.\nNo plastic wrapping, please.</textarea>" in page


def test_saving_notes_sends_the_tags_without_empty_pieces_and_shows_what_was_kept(portal, fakes):
    fakes.on("GET", SHOPS_BEN, a_customer_record(a_customer(), a_seller_order()))
    kept = a_customer_record(
        a_customer(tags=["first editions", "No plastic"]), a_seller_order(), notes=NOTE
    )
    fakes.on("PATCH", SHOPS_BEN, kept)

    saved = submit(
        portal, BEN, {"notes": NOTE, "tags": "first editions, , No plastic, FIRST EDITIONS"}
    )

    assert saved.status_code == 302 and saved.headers["Location"] == BEN
    assert fakes.sent("PATCH", SHOPS_BEN) == [
        {"notes": NOTE, "tags": ["first editions", "No plastic", "FIRST EDITIONS"]}
    ]
    fakes.on("GET", SHOPS_BEN, kept)
    page = text(portal.get(BEN))
    assert "Your notes on Ben Buyer are saved." in page
    assert 'value="first editions, No plastic"' in page


def test_notes_too_long_are_refused_beside_their_field_and_nothing_is_sent(portal, fakes):
    fakes.on("GET", SHOPS_BEN, a_customer_record(a_customer(), a_seller_order()))

    too_long = submit(portal, BEN, {"notes": "x" * 2001, "tags": "kept"})

    assert too_long.status_code == 400
    assert 'id="notes-error"' in text(too_long)
    assert fakes.writes() == []


def test_tags_the_service_refuses_come_back_beside_their_field(portal, fakes):
    fakes.on("GET", SHOPS_BEN, a_customer_record(a_customer(), a_seller_order()))
    too_many = ", ".join(f"t{n}" for n in range(21))
    refusal = ServiceError(
        422, "check the tags", {"tags": "a customer can have at most 20 tags (you gave 21)"}
    )
    fakes.on("PATCH", SHOPS_BEN, refusal)

    refused = submit(portal, BEN, {"notes": "Kept", "tags": too_many})

    assert refused.status_code == 400
    page = text(refused)
    assert 'id="tags-error"' in page and "at most 20 tags" in page
    assert f'value="{too_many}"' in page and "Kept</textarea>" in page  # as typed, to correct
    assert "are saved" not in page


def test_the_notes_form_needs_its_csrf_token(portal, fakes):
    fakes.on("GET", SHOPS_BEN, a_customer_record(a_customer(), a_seller_order()))

    response = portal.post(BEN, data={"notes": "forged", "tags": ""})

    assert response.status_code == 400
    assert fakes.writes() == []


def test_a_customer_of_no_shop_of_the_sellers_is_not_found_and_cannot_be_written(portal, fakes):
    # The shops service answers 404 to anyone who is not a member of the customer's shop.
    fakes.on("GET", SHOPS_BEN, ServiceError(404, "no such customer"))

    page = portal.get(BEN)
    other_shop = portal.get(f"{BEN}?shop=shop-2")
    forged = submit(portal, BEN, {"notes": "mine", "tags": ""})

    assert page.status_code == other_shop.status_code == forged.status_code == 404
    # A shop that is not the person's is not even asked.
    assert [call.path for call in fakes.calls if "/customers" in call.path] == [SHOPS_BEN] * 2
    assert fakes.writes() == []


def test_a_shopper_without_a_shop_is_offered_to_open_one_and_sees_no_book(app, fakes):
    ben = app.test_client()
    assert sign_up(ben, email="ben@example.org", display_name="Ben Buyer").status_code == 302
    seller_answers(fakes)  # the menu's counts
    fakes.on("GET", "/shops/mine", {"shops": []})

    response = ben.get(BEN, follow_redirects=True)

    assert "Open your shop" in text(response)
    assert not [call for call in fakes.calls if "/customers" in call.path]


@pytest.mark.parametrize(
    ("number", "said"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
    ],
)
def test_ordinal(number, said):
    assert ordinal(number) == said
