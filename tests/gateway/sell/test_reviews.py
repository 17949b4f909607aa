"""The seller portal's reviews page: the shop's reviews and one public answer to each."""

from __future__ import annotations

import re

import requests

from tests import support
from tests.gateway.helpers import csrf_token, text
from tests.gateway.sell.conftest import Seller, open_shop, user_id
from tests.gateway.sell.helpers import ORDER_LINK, buy, submit, wait_until_ready_to_ship

REVIEW = re.compile(r'id="review-([0-9a-f-]{36})"')


def reviewed(seller: Seller, app, services) -> str:  # noqa: ANN001
    """Ben buys from the seller's shop, the shop ships, Ben reviews it; the review's id."""
    listing = seller.add_listing(title="Villette", quantity=1)
    order_url = buy(app, listing["id"])
    dashboard = support.wait_for(
        lambda: (page := text(seller.client.get("/sell/"))) and ORDER_LINK.search(page) and page
    )
    part_id = ORDER_LINK.search(dashboard).group(1)
    submit(seller.client, f"/sell/orders/{part_id}/accept", {})
    wait_until_ready_to_ship(seller.client, part_id)
    submit(seller.client, f"/sell/orders/{part_id}/ship", {"note": "Enjoy, Ben!"})
    buyer = support.auth_header(user_id(app, "ben@example.org"), "Ben Buyer")
    url = f"{services.orders_url}{order_url}/parts/{part_id}/review"
    body = {"rating": 4, "text": "Well packed <i>and</i> kind."}
    # The part is reviewable once the orders service has heard that it shipped.
    posted = support.wait_for(
        lambda: (
            (answer := requests.post(url, json=body, headers=buyer, timeout=5))
            and answer.status_code == 201
            and answer
        )
    )
    return posted.json()["id"]


def answer(seller: Seller, review_id: str, text_: str):
    prefix = f"answer-{review_id}-"
    data = {prefix + "text": text_, prefix + "csrf_token": csrf_token(seller.client, "/sell/")}
    return seller.client.post(f"/sell/reviews/{review_id}/answer", data=data)


def test_reviews_page_of_a_new_shop_says_there_are_none(seller):
    page = text(seller.client.get("/sell/reviews"))

    assert "No reviews yet" in page
    assert 'href="/sell/reviews" aria-current="page">Reviews</a>' in page


def test_seller_answers_a_review_once_and_the_answer_is_public(seller, live_gateway, services):
    review_id = reviewed(seller, live_gateway, services)
    page = text(seller.client.get("/sell/reviews"))
    assert REVIEW.search(page).group(1) == review_id
    assert "Well packed &lt;i&gt;and&lt;/i&gt; kind." in page
    assert f'id="answer-form-{review_id}"' in page

    response = answer(seller, review_id, "Thank you, Ben <3")

    assert response.status_code == 302
    page = text(seller.client.get(response.headers["Location"]))
    assert "Your answer is published under the review." in page
    assert "Thank you, Ben &lt;3" in page
    assert f'id="answer-form-{review_id}"' not in page
    again = answer(seller, review_id, "A second answer")
    assert "already has the shop&#39;s answer" in text(seller.client.get(again.headers["Location"]))
    public = text(live_gateway.test_client().get(f"/shops/{seller.shop['slug']}"))
    assert "Thank you, Ben &lt;3" in public and "A second answer" not in public
    assert "Mara&#39;s Books answered" in public


def test_empty_answer_shows_the_error_next_to_the_field(seller, live_gateway, services):
    review_id = reviewed(seller, live_gateway, services)

    response = answer(seller, review_id, "   ")

    assert response.status_code == 400
    page = text(response)
    assert f'id="answer-{review_id}-text-error"' in page
    assert "Write a few words to answer." in page


def test_another_shop_cannot_answer_the_review(seller, live_gateway, services):
    review_id = reviewed(seller, live_gateway, services)
    other = open_shop(live_gateway, services, "kofi@example.org", "Kofi's Corner", "Kofi")

    response = answer(other, review_id, "Not my review")

    assert response.status_code == 404
    public = text(live_gateway.test_client().get(f"/shops/{seller.shop['slug']}"))
    assert "Not my review" not in public
    assert review_id not in text(other.client.get("/sell/reviews"))
