"""The listing page and its question form, against fake services: other shops' offers down,
who sees the question form and who the log-in link, and a refused question back beside its
field. The whole journey (the question reaching the seller, the answer and the badges) runs
against the live services in test_messages_pages.py."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.clients import ServiceError
from tests.gateway.fakes import UNREAD_NONE, FakeServices, a_listing
from tests.gateway.helpers import post_form, sign_up, text

LISTING = a_listing("listing-1", shop_id="shop-1")
PAGE = "/listings/listing-1"


@pytest.fixture
def fakes(app: Flask) -> FakeServices:
    fakes = FakeServices().install(app)
    fakes.on("GET", "/listings/listing-1", LISTING)
    fakes.on("GET", "/shops/mine", {"shops": []})
    fakes.on("GET", "/conversations/unread", UNREAD_NONE)
    fakes.on("GET", "/wants/matches/unread", {"unread": 0})
    return fakes


@pytest.fixture
def shopper(app: Flask, fakes: FakeServices) -> FlaskClient:
    client = app.test_client()
    assert sign_up(client).status_code == 302
    return client


def test_a_visitor_gets_a_log_in_link_and_a_shopper_the_form(app, fakes, shopper):
    visitor = text(app.test_client().get(PAGE))
    signed_in = text(shopper.get(PAGE))

    assert "Ask Mara&#39;s Books a question" in visitor
    assert 'id="ask-log-in"' in visitor and 'id="ask-question"' not in visitor
    assert 'id="ask-question"' in signed_in and 'name="ask-text"' in signed_in
    context = fakes.contexts["shop/listing.html"]
    assert context["own_shop"] is False and context["ask_form"].text.data is None


def test_a_member_of_the_shop_sees_where_questions_arrive_instead(fakes, shopper):
    fakes.on("GET", "/shops/mine", {"shops": [{"id": "shop-1", "name": "Mara's Books"}]})

    page = text(shopper.get(PAGE))

    assert fakes.contexts["shop/listing.html"]["own_shop"] is True
    assert 'id="ask-question"' not in page
    assert "Questions from shoppers" in page and "your shop's messages" in page


def test_an_empty_question_comes_back_beside_its_field_and_sends_nothing(fakes, shopper):
    response = post_form(shopper, "/listings/listing-1/ask", {"ask-text": "   "}, page=PAGE)

    assert response.status_code == 400
    page = text(response)
    assert 'id="ask-text-error"' in page and "cannot be empty" in page
    assert "<h1>Villette</h1>" in page  # still the listing page
    assert not [call for call in fakes.calls if call.method == "POST"]


def test_the_services_refusal_of_a_question_is_said_on_the_listing_page(fakes, shopper):
    refusal = ServiceError(403, "you cannot ask your own shop", {"text": "your own shop"})
    fakes.on("POST", "/listings/listing-1/questions", refusal)

    response = post_form(
        shopper, "/listings/listing-1/ask", {"ask-text": "Is it signed?"}, page=PAGE
    )

    assert response.status_code == 400
    assert "your own shop" in text(response)
    assert fakes.contexts["shop/listing.html"]["ask_form"].text.data == "Is it signed?"


def test_a_question_about_a_listing_that_is_gone_is_404(fakes, shopper):
    fakes.on("POST", "/listings/gone/questions", ServiceError(404, "no such listing"))

    response = post_form(shopper, "/listings/gone/ask", {"ask-text": "Still there?"}, page=PAGE)

    assert response.status_code == 404
    assert "This listing is gone" in text(response)


def test_other_shops_offers_down_is_said_beside_them_and_the_listing_shows(fakes, shopper):
    fakes.on("GET", "/listings/listing-2", a_listing("listing-2") | {"work_id": "work-1"})
    fakes.down("GET", "/works/work-1/offers")

    response = shopper.get("/listings/listing-2")

    assert response.status_code == 200
    context = fakes.contexts["shop/listing.html"]
    assert context["others"] == []
    assert context["others_note"] == "Other shops' offers for this book cannot be shown right now."
    assert context["missing"] == []
    assert "<h1>Villette</h1>" in text(response)
    assert "GET /works/work-1/offers" in fakes.paths()
