"""Reviews for shoppers: the form on the order page, the shop's public page, ratings on
search cards, listings and the comparison of offers.

Against fake services (tests/gateway/fakes.py): the order, the shop's public face, its
reviews and the catalog's hits are canned answers, shaped as the services give them.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.clients import ServiceError
from gateway.pages.search import read_search
from tests.gateway.fakes import FakeServices, a_listing, a_shop, order_page_answers
from tests.gateway.helpers import csrf_token, text
from tests.gateway.shop.fakes_storefront import (
    WORK_ID,
    a_buyers_review,
    a_hit,
    a_part,
    a_placed_order,
    a_public_review,
    a_shop_face,
    a_work,
    an_offer,
    offers_of,
    search_results,
    shop_reviews,
)

HOGARTH = {"shop_id": "shop-hogarth", "shop_name": "Hogarth Books"}
ORDER = "/orders/order-1"
SHIPPED = a_part("part-1", shop=HOGARTH, status="shipped", note="Enjoy, Ben!")
REVIEW_URL = f"{ORDER}/parts/part-1/review"
WRAPPED = "Beautifully wrapped <b>and</b> quick."


def post_review(client: FlaskClient, **fields: str):
    values = {"rating": "5", "text": WRAPPED, **fields}
    data = {f"review-part-1-{name}": value for name, value in values.items()}
    data["review-part-1-csrf_token"] = csrf_token(client, "/")
    return client.post(REVIEW_URL, data=data)


@pytest.fixture
def shipped(ben, fakes):  # noqa: ANN001, ANN201
    """Ben's order, whose part from Hogarth Books has shipped and is not reviewed yet."""
    order_page_answers(fakes, a_placed_order("order-1", SHIPPED))
    return ben


def test_a_shipped_part_offers_the_review_form(shipped):
    page = text(shipped.get(ORDER))

    assert 'id="review-form-part-1"' in page and "How was Hogarth Books?" in page


def test_buyer_reviews_a_shipped_part_and_sees_it_on_the_order(shipped, fakes):
    review = a_buyers_review(SHIPPED, rating=5, text=WRAPPED)
    fakes.on("POST", REVIEW_URL, review)

    response = post_review(shipped)

    assert response.status_code == 302
    assert response.headers["Location"] == f"{ORDER}#part-part-1"
    assert fakes.sent("POST", REVIEW_URL) == [{"rating": 5, "text": WRAPPED}]
    fakes.on("GET", f"{ORDER}/reviews", {"order_id": "order-1", "reviews": [review]})
    page = text(shipped.get(ORDER))
    assert "Thank you: your review is on the shop&#39;s page." in page
    assert "Your review of Hogarth Books" in page
    assert "Beautifully wrapped &lt;b&gt;and&lt;/b&gt; quick." in page
    assert 'id="review-form-part-1"' not in page


def test_review_form_errors_show_next_to_their_fields_and_send_nothing(shipped, fakes):
    response = post_review(shipped, rating="", text="   ")

    assert response.status_code == 400
    page = text(response)
    assert 'id="review-part-1-rating-error"' in page
    assert 'id="review-part-1-text-error"' in page
    assert "Choose from 1 to 5 stars." in page and "Write a few words about the shop." in page
    assert fakes.writes() == []


def test_a_second_review_is_refused_with_the_services_message(shipped, fakes):
    refusal = ServiceError(409, "you have already reviewed this shop for this part of your order")
    fakes.on("POST", REVIEW_URL, refusal)

    again = post_review(shipped, rating="1", text="Changed my mind")

    assert again.status_code == 302
    page = text(shipped.get(again.headers["Location"]))
    assert "You have already reviewed this shop for this part of your order." in page
    assert "Changed my mind" not in page


def test_someone_elses_part_cannot_be_reviewed(shipped, fakes):
    fakes.on("POST", REVIEW_URL, ServiceError(404, "no such order"))

    response = post_review(shipped)

    assert response.status_code == 404


# --- the shop's public page -------------------------------------------------------------------


@pytest.fixture
def visitor(app: Flask, fakes: FakeServices) -> FlaskClient:
    return app.test_client()


def hogarth_answers(fakes: FakeServices, *reviews: dict) -> None:
    face = a_shop_face("shop-hogarth", about="Second-hand since 1917.", ratings=(5,) * len(reviews))
    fakes.on("GET", "/shops/hogarth-books", face, service="catalog")
    fakes.on("GET", "/shops/shop-hogarth", face, service="catalog")
    fakes.on("GET", "/shops/shop-hogarth/reviews", shop_reviews("shop-hogarth", *reviews))
    policies = {"returns": "Within 14 days.", "shipping_times": ""}
    fakes.on(
        "GET", "/shops/shop-hogarth", a_shop("shop-hogarth", policies=policies), service="shops"
    )
    fakes.on(
        "GET",
        "/search",
        search_results(a_hit("listing-lighthouse", "To the Lighthouse", shop=HOGARTH)),
    )


def test_the_shop_page_shows_its_reputation_reviews_policies_and_stock(visitor, fakes):
    hogarth_answers(fakes, a_public_review("review-1", rating=5, text=WRAPPED))

    page = text(visitor.get("/shops/hogarth-books"))

    assert '<h1 id="shop-name">Hogarth Books</h1>' in page
    assert "Second-hand since 1917." in page
    assert '<span id="reputation-average">5.0</span>' in page
    assert "1 review" in page and "100% positive over the last 12 months" in page
    assert "Beautifully wrapped &lt;b&gt;and&lt;/b&gt; quick." in page
    assert "<b>and</b>" not in page
    assert "Ben Buyer" in page
    assert "Within 14 days." in page
    assert "To the Lighthouse" in page and "In stock now (1)" in page
    # Only what the shop has in stock, newest first.
    [listings] = fakes.asked("GET", "/search")
    assert listings.options["params"] == {
        "q": "",
        "page": 1,
        "per_page": 20,
        "shop": "shop-hogarth",
        "sort": "newest",
        "in_stock": "true",
    }


def test_the_shop_page_without_its_reviews_shows_the_rest(visitor, fakes):
    hogarth_answers(fakes)
    fakes.down("GET", "/shops/shop-hogarth/reviews")

    response = visitor.get("/shops/hogarth-books")

    assert response.status_code == 200
    page = text(response)
    assert "Reviews cannot be shown right now." in page
    assert "the shop&#39;s reviews" in page
    assert "To the Lighthouse" in page


def test_shop_page_by_id_redirects_to_its_slug_and_unknown_is_404(visitor, fakes):
    hogarth_answers(fakes)
    fakes.on("GET", "/shops/no-such-shop", ServiceError(404, "no such shop"), service="catalog")

    by_id = visitor.get("/shops/shop-hogarth", query_string={"reviews_page": "2"})
    page = text(visitor.get("/shops/hogarth-books"))

    assert by_id.status_code == 301
    assert by_id.headers["Location"].endswith("/shops/hogarth-books?reviews_page=2")
    assert 'id="reputation-none"' in page and "No one has reviewed Hogarth Books yet." in page
    assert visitor.get("/shops/no-such-shop").status_code == 404


# --- ratings where shops are listed -------------------------------------------------------------


def test_the_shops_rating_shows_on_cards_listings_and_compare(visitor, fakes):
    rated = {"shop_rating": 4.0, "shop_reviews": 1}
    fakes.on("GET", "/search", search_results(a_hit("listing-1", "Cranford", shop=HOGARTH) | rated))
    listing = a_listing("listing-1", shop_id="shop-hogarth") | rated | {"work_id": WORK_ID}
    listing["shop"] |= {"id": "shop-hogarth", "slug": "hogarth-books"}
    fakes.on("GET", "/listings/listing-1", listing)
    fakes.on("GET", f"/works/{WORK_ID}", a_work())
    offer = an_offer("listing-1", "Hogarth Books", price=700, shipping=None) | rated
    fakes.on("GET", f"/works/{WORK_ID}/offers", offers_of(offer))

    card = text(visitor.get("/search", query_string={"q": "cranford"}))
    listing_page = text(visitor.get("/listings/listing-1"))
    compare = text(visitor.get(f"/works/{WORK_ID}"))

    assert "4.0<span" in card and "(1 review)" in card
    assert 'href="/shops/shop-hogarth"' in card
    assert 'id="listing-shop-rating"' in listing_page and "4.0<span" in listing_page
    assert 'href="/shops/hogarth-books#reviews"' in listing_page
    assert f'href="/works/{WORK_ID}"' in listing_page
    assert "4.0<span" in compare


def test_search_passes_the_reputation_sort_and_minimum_rating_to_the_catalog(visitor, fakes):
    fakes.on("GET", "/search", search_results())

    visitor.get("/search", query_string={"rating_at_least": "4"})
    visitor.get("/search", query_string={"sort": "reputation"})
    wrong = visitor.get("/search", query_string={"rating_at_least": "7"})

    first, second, third = (call.options["params"] for call in fakes.asked("GET", "/search"))
    assert first["rating_at_least"] == "4"
    assert second["sort"] == "reputation"
    assert wrong.status_code == 400 and "rating_at_least" not in third


def test_search_reads_the_reputation_sort_and_minimum_rating():
    wanted = read_search({"sort": "reputation", "rating_at_least": "4.5"})
    wrong = read_search({"rating_at_least": "7"})

    assert wanted.filters == {"sort": "reputation", "rating_at_least": "4.5"}
    assert not wanted.errors
    assert wrong.errors == {"rating_at_least": "Choose a rating from the list."}
    assert "rating_at_least" not in wrong.filters
