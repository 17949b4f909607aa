"""The customer book in the seller portal: the list, one customer with notes and tags, and
what the order page says about a first or returning buyer."""

from __future__ import annotations

import re

import pytest

from gateway.views.sell_customers import ordinal
from tests import support
from tests.gateway.helpers import post_form, sign_up, text
from tests.gateway.sell.conftest import open_shop, user_id
from tests.gateway.sell.helpers import ORDER_LINK, submit

NOTE = "Collects first editions.\nNo plastic wrapping, please."


def checkout(buyer, listing_id: str, *, name: str = "Ben Buyer") -> None:
    """The signed-in `buyer` puts one copy of the listing in the cart and checks out."""
    added = post_form(buyer, f"/listings/{listing_id}", {"quantity": "1"}, page="/")
    assert added.status_code == 302, text(added)
    page = text(buyer.get("/checkout"))
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    placed = post_form(
        buyer,
        "/checkout",
        {
            "idempotency_key": key,
            "expected_total": re.search(
                r'name="expected_total" type="hidden" value="(\d*)"', page
            ).group(1),
            "name": name,
            "address": "Damrak 1",
            "city": "Amsterdam",
            "postal_code": "1012 LG",
            "country": "NL",
            "card_number": "4242 4242 4242 4242",
        },
        page="/",
    )
    assert placed.status_code == 302, text(placed)


def seller_order_ids(seller, *, count: int) -> list[str]:
    """The shop's order ids on the dashboard, once `count` of them have arrived."""

    def arrived() -> list[str] | None:
        ids = list(dict.fromkeys(ORDER_LINK.findall(text(seller.client.get("/sell/")))))
        return ids if len(ids) >= count else None

    return support.wait_for(arrived)


@pytest.fixture
def ben(live_gateway):
    buyer = live_gateway.test_client()
    sign_up(buyer, email="ben@example.org", display_name="Ben Buyer")
    return buyer


def test_a_first_order_then_a_returning_customer_with_the_shops_note(seller, live_gateway, ben):
    listing = seller.add_listing(title="Villette", quantity=3)
    checkout(ben, listing["id"])
    [first] = seller_order_ids(seller, count=1)

    first_page = text(seller.client.get(f"/sell/orders/{first}"))
    assert "First order from Ben Buyer." in first_page
    ben_id = user_id(live_gateway, "ben@example.org")
    assert f'href="/sell/customers/{ben_id}?shop={seller.shop["id"]}"' in first_page

    listed = text(seller.client.get("/sell/customers"))
    assert 'id="customers"' in listed and "Ben Buyer" in listed
    assert 'id="customers-total">1 person<' in listed
    saved = submit(
        seller.client,
        f"/sell/customers/{ben_id}",
        {"notes": NOTE, "tags": "first editions, , No plastic, FIRST EDITIONS"},
    )
    assert saved.status_code == 302, text(saved)
    page = text(seller.client.get(saved.headers["Location"]))
    assert "Your notes on Ben Buyer are saved." in page
    assert "Collects first editions.\nNo plastic wrapping, please.</textarea>" in page
    assert 'value="first editions, No plastic"' in page

    checkout(ben, listing["id"])
    second = next(i for i in seller_order_ids(seller, count=2) if i != first)
    second_page = text(seller.client.get(f"/sell/orders/{second}"))
    assert "Returning customer: 2nd order with you." in second_page
    assert "Collects first editions.\nNo plastic wrapping, please." in second_page
    assert "<li>first editions</li>" in second_page
    history = text(seller.client.get(f"/sell/customers/{ben_id}"))
    assert history.index(second) < history.index(first)  # newest first
    assert "2 orders with Mara&#39;s Books" in history


def test_notes_and_tags_errors_show_next_to_their_fields_and_nothing_is_saved(
    seller, live_gateway, ben
):
    listing = seller.add_listing(title="Villette", quantity=3)
    checkout(ben, listing["id"])
    seller_order_ids(seller, count=1)
    ben_id = user_id(live_gateway, "ben@example.org")
    url = f"/sell/customers/{ben_id}"
    assert submit(seller.client, url, {"notes": "Kept", "tags": "kept"}).status_code == 302

    too_long = submit(seller.client, url, {"notes": "x" * 2001, "tags": "kept"})
    too_many = submit(
        seller.client, url, {"notes": "Kept", "tags": ", ".join(f"t{n}" for n in range(21))}
    )
    long_tag = submit(seller.client, url, {"notes": "Kept", "tags": "y" * 41})

    assert too_long.status_code == 400
    assert 'id="notes-error"' in text(too_long)
    for refused in (too_many, long_tag):
        assert refused.status_code == 400
        assert 'id="tags-error"' in text(refused)
    assert "at most 20 tags" in text(too_many)
    page = text(seller.client.get(url))
    assert "Kept</textarea>" in page and 'value="kept"' in page


def test_the_notes_form_needs_its_csrf_token(seller, live_gateway, ben):
    listing = seller.add_listing(title="Villette", quantity=3)
    checkout(ben, listing["id"])
    seller_order_ids(seller, count=1)
    url = f"/sell/customers/{user_id(live_gateway, 'ben@example.org')}"

    response = seller.client.post(url, data={"notes": "forged", "tags": ""})

    assert response.status_code == 400
    assert "forged" not in text(seller.client.get(url))


def test_another_seller_and_a_shopper_never_reach_the_customer(seller, live_gateway, services, ben):
    listing = seller.add_listing(title="Villette", quantity=3)
    checkout(ben, listing["id"])
    seller_order_ids(seller, count=1)
    ben_id = user_id(live_gateway, "ben@example.org")
    url = f"/sell/customers/{ben_id}"
    assert submit(seller.client, url, {"notes": NOTE, "tags": "secret"}).status_code == 302
    other = open_shop(live_gateway, services, "olga@example.org", "Olga's Attic", "Olga")

    for path in (url, f"{url}?shop={seller.shop['id']}"):
        response = other.client.get(path)
        assert response.status_code == 404, path
        assert "Collects first editions" not in text(response)
    assert "Ben Buyer" not in text(other.client.get("/sell/customers"))
    forged = submit(other.client, url, {"notes": "mine", "tags": ""})
    assert forged.status_code == 404
    # Ben himself has no shop: the portal offers to open one and shows no book.
    assert "Collects first editions" not in text(ben.get(url, follow_redirects=True))
    assert "Collects first editions" in text(seller.client.get(url))


def test_the_customers_page_searches_and_sorts(seller, live_gateway, ben):
    listing = seller.add_listing(title="Villette", quantity=5)
    checkout(ben, listing["id"])
    cleo = live_gateway.test_client()
    sign_up(cleo, email="cleo@example.org", display_name="Cleo Reader")
    checkout(cleo, listing["id"], name="Cleo Reader")
    seller_order_ids(seller, count=2)

    everyone = text(seller.client.get("/sell/customers?sort=name"))
    found = text(seller.client.get("/sell/customers?q=cleo"))
    nobody = text(seller.client.get("/sell/customers?q=zelda"))

    assert everyone.index("Ben Buyer") < everyone.index("Cleo Reader")
    assert "Cleo Reader" in found and "Ben Buyer" not in found
    assert "Nobody by that name." in nobody
    assert '<a href="/sell/customers" aria-current="page">Customers</a>' in everyone


def test_an_empty_customer_book_says_so(seller):
    page = text(seller.client.get("/sell/customers"))
    assert "No customers yet" in page


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
