"""Reviews for shoppers: the form on the order page, the shop's page, ratings in search."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient

from gateway.pages.search import read_search
from tests import support
from tests.gateway.helpers import csrf_token, text
from tests.gateway.shop.factories import (
    Seller,
    a_seller,
    a_shopper,
    add_to_cart,
    check_out,
    listing_ids,
    wait_until_found,
)

REVIEW_FORM = re.compile(r'id="review-form-([0-9a-f-]{36})"')


@dataclass
class Shipped:
    buyer: FlaskClient
    seller: Seller
    order_url: str
    part_id: str
    listing_id: str


def shipped_order(services, app, *, email: str = "ben@example.org") -> Shipped:  # noqa: ANN001
    """Ben buys a book from Hogarth Books, which accepts and ships it."""
    seller = a_seller(services, "Hogarth Books", about="Second-hand since 1917.")
    seller.list(title="Mrs Dalloway", isbn="9780156628709", quantity=1)
    buyer = a_shopper(app, email=email)
    [listing_id] = listing_ids(wait_until_found(buyer, q="dalloway"))
    assert add_to_cart(buyer, listing_id).status_code == 302
    order_url = check_out(buyer).headers["Location"]
    [part] = support.wait_for(seller.orders)
    assert seller.answer(part["id"], "accept").status_code == 200
    assert seller.answer(part["id"], "ship", note="Enjoy, Ben!").status_code == 200
    support.wait_for(lambda: REVIEW_FORM.search(text(buyer.get(order_url))))
    return Shipped(buyer, seller, order_url, part["id"], listing_id)


def post_review(shipped: Shipped, client: FlaskClient | None = None, **fields: str):
    client = client or shipped.buyer
    prefix = f"review-{shipped.part_id}-"
    values = {"rating": "5", "text": "Beautifully wrapped <b>and</b> quick.", **fields}
    data = {prefix + name: value for name, value in values.items()}
    data[prefix + "csrf_token"] = csrf_token(client, "/")
    return client.post(f"{shipped.order_url}/parts/{shipped.part_id}/review", data=data)


@pytest.fixture
def shipped(services, live_gateway) -> Shipped:  # noqa: ANN001
    return shipped_order(services, live_gateway)


def test_buyer_reviews_a_shipped_part_and_it_shows_on_the_shop_page(shipped, live_gateway):
    response = post_review(shipped)

    assert response.status_code == 302
    page = text(shipped.buyer.get(shipped.order_url))
    assert "Your review of Hogarth Books" in page
    assert "Beautifully wrapped &lt;b&gt;and&lt;/b&gt; quick." in page
    assert not REVIEW_FORM.search(page)
    slug = shipped.seller.shop["slug"]
    shop_page = text(live_gateway.test_client().get(f"/shops/{slug}"))
    assert '<h1 id="shop-name">Hogarth Books</h1>' in shop_page
    assert "Second-hand since 1917." in shop_page
    assert '<span id="reputation-average">5.0</span>' in shop_page
    assert "1 review" in shop_page and "100% positive over the last 12 months" in shop_page
    assert "Beautifully wrapped &lt;b&gt;and&lt;/b&gt; quick." in shop_page
    assert "<b>and</b>" not in shop_page
    assert "Ben Buyer" in shop_page and "ben@example.org" not in shop_page
    assert shipped.listing_id not in shop_page  # sold out: its only copy was bought


def test_rating_reaches_listing_card_and_compare_once_the_catalog_knows(shipped, live_gateway):
    shipped.seller.list(title="To the Lighthouse", isbn="9780156907392")
    assert post_review(shipped, rating="4").status_code == 302
    client = live_gateway.test_client()

    card = support.wait_for(
        lambda: (
            (html := text(client.get("/search", query_string={"q": "lighthouse"})))
            and "4.0<span" in html
            and html
        )
    )
    [listing_id] = listing_ids(card)
    listing = text(client.get(f"/listings/{listing_id}"))
    work = re.search(r'href="(/works/[^"]+)"', listing).group(1)
    compare = text(client.get(work))

    assert "(1 review)" in card
    assert f'href="/shops/{shipped.seller.shop["id"]}"' in card
    assert 'id="listing-shop-rating"' in listing and "4.0" in listing
    assert f'href="/shops/{shipped.seller.shop["slug"]}"' in listing
    assert "4.0<span" in compare
    assert "4.0<span" in text(client.get("/search", query_string={"rating_at_least": "4"}))
    assert listing_id not in text(client.get("/search", query_string={"rating_at_least": "4.5"}))
    assert listing_id in text(client.get("/search", query_string={"sort": "reputation"}))


def test_review_form_errors_show_next_to_their_fields(shipped):
    response = post_review(shipped, rating="", text="   ")

    assert response.status_code == 400
    page = text(response)
    assert f'id="review-{shipped.part_id}-rating-error"' in page
    assert f'id="review-{shipped.part_id}-text-error"' in page
    assert "Choose from 1 to 5 stars." in page and "Write a few words about the shop." in page
    assert "Your review of" not in text(shipped.buyer.get(shipped.order_url))


def test_a_second_review_is_refused_with_a_message(shipped):
    assert post_review(shipped).status_code == 302

    again = post_review(shipped, rating="1", text="Changed my mind")

    assert again.status_code == 302
    page = text(shipped.buyer.get(again.headers["Location"]))
    assert "You have already reviewed this shop for this part of your order." in page
    assert "Changed my mind" not in page


def test_someone_elses_part_cannot_be_reviewed(shipped, live_gateway):
    mallory = a_shopper(live_gateway, email="mallory@example.org", name="Mallory")

    response = post_review(shipped, client=mallory)

    assert response.status_code == 404
    assert "Your review of" not in text(shipped.buyer.get(shipped.order_url))


def test_shop_page_by_id_redirects_to_its_slug_and_unknown_is_404(services, live_gateway):
    seller = a_seller(services, "Quiet Books")
    client = live_gateway.test_client()
    support.wait_for(lambda: client.get(f"/shops/{seller.shop['slug']}").status_code == 200)

    by_id = client.get(f"/shops/{seller.shop['id']}")
    page = text(client.get(f"/shops/{seller.shop['slug']}"))

    assert by_id.status_code == 301
    assert by_id.headers["Location"].endswith(f"/shops/{seller.shop['slug']}")
    assert 'id="reputation-none"' in page and "No one has reviewed Quiet Books yet." in page
    assert client.get("/shops/no-such-shop").status_code == 404


def test_search_reads_the_reputation_sort_and_minimum_rating():
    wanted = read_search({"sort": "reputation", "rating_at_least": "4.5"})
    wrong = read_search({"rating_at_least": "7"})

    assert wanted.filters == {"sort": "reputation", "rating_at_least": "4.5"}
    assert not wanted.errors
    assert wrong.errors == {"rating_at_least": "Choose a rating from the list."}
    assert "rating_at_least" not in wrong.filters
