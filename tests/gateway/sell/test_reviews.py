"""The seller portal's reviews page: the shop's reviews and one public answer to each.

Against fake services (tests/gateway/fakes.py, fakes_orders.py). The orders service's rules
(one answer per review, only the reviewed shop answers) are tested in
tests/orders/test_reviews.py; here, what the pages show and what the answer form sends.
"""

from __future__ import annotations

from flask.testing import FlaskClient

from gateway.clients import ServiceError
from tests.gateway.helpers import csrf_token, text
from tests.gateway.sell.fakes_orders import (
    a_shop_review,
    an_answer,
    shop_page_answers,
    shop_reviews,
)

REVIEWS = "/shops/shop-1/reviews"
ANSWER = "/shops/shop-1/reviews/review-1/answer"


def answer(client: FlaskClient, review_id: str, text_: str):  # noqa: ANN201
    prefix = f"answer-{review_id}-"
    data = {prefix + "text": text_, prefix + "csrf_token": csrf_token(client, "/sell/")}
    return client.post(f"/sell/reviews/{review_id}/answer", data=data)


def test_reviews_page_of_a_new_shop_says_there_are_none(portal, fakes):
    fakes.on("GET", REVIEWS, shop_reviews())

    page = text(portal.get("/sell/reviews"))

    assert "No reviews yet" in page
    assert 'href="/sell/reviews" aria-current="page">Reviews</a>' in page


def test_each_unanswered_review_shows_escaped_with_its_answer_form(portal, fakes):
    answered = a_shop_review("review-2", answer=an_answer("Thank you!"))
    fakes.on("GET", REVIEWS, shop_reviews(a_shop_review(), answered))

    page = text(portal.get("/sell/reviews?page=2"))

    assert "Well packed &lt;i&gt;and&lt;/i&gt; kind." in page
    assert 'id="answer-form-review-1"' in page and 'id="answer-form-review-2"' not in page
    assert "Thank you!" in page
    [asked] = fakes.asked("GET", REVIEWS)
    assert asked.options["params"] == {"page": 2, "per_page": 20}


def test_answering_sends_the_text_and_comes_back_to_the_review(portal, fakes):
    fakes.on("GET", REVIEWS, shop_reviews(a_shop_review()))
    fakes.on("POST", ANSWER, a_shop_review(answer=an_answer("Thank you, Ben <3")))

    response = answer(portal, "review-1", "Thank you, Ben <3")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sell/reviews?page=1#review-review-1"
    assert fakes.sent("POST", ANSWER) == [{"text": "Thank you, Ben <3"}]
    fakes.on("GET", REVIEWS, shop_reviews(a_shop_review(answer=an_answer("Thank you, Ben <3"))))
    page = text(portal.get(response.headers["Location"]))
    assert "Your answer is published under the review." in page
    assert "Thank you, Ben &lt;3" in page and 'id="answer-form-review-1"' not in page


def test_a_second_answer_is_refused_with_the_services_reason(portal, fakes):
    fakes.on("GET", REVIEWS, shop_reviews(a_shop_review(answer=an_answer("Thank you"))))
    fakes.on("POST", ANSWER, ServiceError(409, "this review already has the shop's answer"))

    again = answer(portal, "review-1", "A second answer")

    assert again.status_code == 302
    assert "This review already has the shop&#39;s answer." in text(
        portal.get(again.headers["Location"])
    )


def test_empty_answer_shows_the_error_next_to_the_field_and_sends_nothing(portal, fakes):
    fakes.on("GET", REVIEWS, shop_reviews(a_shop_review()))

    response = answer(portal, "review-1", "   ")

    assert response.status_code == 400
    page = text(response)
    assert 'id="answer-review-1-text-error"' in page
    assert "Write a few words to answer." in page
    assert fakes.writes() == []


def test_a_review_of_another_shop_cannot_be_answered(portal, fakes):
    # The orders service answers 404 for a review that is not of the shop named.
    fakes.on("POST", "/shops/shop-1/reviews/review-9/answer", ServiceError(404, "no such review"))

    response = answer(portal, "review-9", "Not my review")

    assert response.status_code == 404


def test_the_shops_answer_shows_under_the_review_on_its_public_page(app, fakes):
    reviewed = a_shop_review(answer=an_answer("Thank you, Ben <3"))
    shop_page_answers(fakes, reviews=shop_reviews(reviewed))

    page = text(app.test_client().get("/shops/maras-books"))

    assert "Well packed &lt;i&gt;and&lt;/i&gt; kind." in page
    assert "Thank you, Ben &lt;3" in page and "Mara&#39;s Books answered" in page
