"""Reviews of shops over HTTP: who may review and answer, once, and what the public sees."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from services.common.contracts import Event, decode, wrap
from services.orders import db
from services.orders.domain.review import Reputation, Tally
from services.orders.worker import build
from tests import support
from tests.orders.conftest import OrdersService
from tests.orders.factories import eur, listing
from tests.orders.test_worker import publish, shipped

pytestmark = pytest.mark.integration


def seller_a() -> dict:
    # Built per call: a token lives two minutes, a test run longer.
    return support.auth_header("seller-a", "Margaret", shops=("a",))


def seller_b() -> dict:
    return support.auth_header("seller-b", "Bruno", shops=("b",))


def deliver(service: OrdersService, event: Event) -> None:
    """Apply a shop's event as the worker's consumer does (inbox included), without a broker."""
    consumer = build(service.runtime).consumer
    assert consumer is not None
    consumer.apply(wrap(event), event, consumer.handlers[type(event)])


def shipped_order(service: OrdersService, user: str = "ada") -> tuple[dict, dict, dict]:
    """An order from shops a and b, placed by `user`; only shop a's part has shipped."""
    a = service.listings.add(listing(shop_id="a", shop_name="Hogarth Books", price=eur(1000)))
    b = service.listings.add(listing(shop_id="b", price=eur(600)))
    for info in (a, b):
        assert service.add_to_cart(user, info).status_code in (200, 201)
    response = service.checkout(user, key=f"key-{user}")
    assert response.status_code == 201, response.get_json()
    order = response.get_json()
    part_a, part_b = order["parts"]
    deliver(service, shipped(part_a, order))
    return order, part_a, part_b


def review(service, order, part, user="ada", name="Ada Lovelace", **body):
    values = {"rating": 5, "text": "  Lovely parcel, kind note.  ", **body}
    return service.client.post(
        f"/orders/{order['id']}/parts/{part['shop_order_id']}/review",
        json=values,
        headers=support.auth_header(user, name),
    )


def answer(service, shop_id, review_id, headers=None, text="Thank you, Ada!"):
    return service.client.post(
        f"/shops/{shop_id}/reviews/{review_id}/answer",
        json={"text": text},
        headers=headers or seller_a(),
    )


def public(service, shop_id="a", **params):
    response = service.client.get(f"/shops/{shop_id}/reviews", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def posted_events(service: OrdersService) -> list[dict]:
    return [
        json.loads(row.body)["payload"]
        for row in service.outbox()
        if row.event_type == "review.posted"
    ]


def test_post_review_of_a_shipped_part_writes_review_and_event(orders):
    order, part_a, _ = shipped_order(orders)

    response = review(orders, order, part_a)

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["rating"], body["text"], body["reviewer_name"]) == (
        5,
        "Lovely parcel, kind note.",
        "Ada Lovelace",
    )
    assert (body["shop_order_id"], body["shop_id"], body["answer"]) == (
        part_a["shop_order_id"],
        "a",
        None,
    )
    [event] = posted_events(orders)
    assert event["review_id"] == body["id"]
    assert (event["shop_id"], event["shop_order_id"], event["rating"]) == (
        "a",
        part_a["shop_order_id"],
        5,
    )
    assert event["reputation"] == {
        "average": 5.0,
        "count": 1,
        "positive_share": 1.0,
        "revision": 1,
    }
    [row] = [row for row in orders.outbox() if row.event_type == "review.posted"]
    envelope, decoded = decode(row.body.encode())
    assert (envelope.type, decoded.reputation.revision) == ("review.posted", 1)


def test_second_review_of_the_same_part_is_409_and_changes_nothing(orders):
    order, part_a, _ = shipped_order(orders)
    assert review(orders, order, part_a).status_code == 201

    again = review(orders, order, part_a, rating=1, text="Changed my mind")

    assert again.status_code == 409
    assert "already reviewed" in again.get_json()["error"]
    assert orders.count(db.Review) == 1
    assert len(posted_events(orders)) == 1


def test_review_before_the_part_ships_is_409(orders):
    order, _, part_b = shipped_order(orders)

    response = review(orders, order, part_b)

    assert response.status_code == 409
    assert "once it has shipped" in response.get_json()["error"]
    assert orders.count(db.Review) == 0
    assert posted_events(orders) == []


def test_review_after_the_buyer_marked_it_received_is_accepted(orders):
    order, part_a, _ = shipped_order(orders)
    received = orders.client.post(
        f"/orders/{order['id']}/parts/{part_a['shop_order_id']}/received",
        headers=support.auth_header("ada"),
    )
    assert received.get_json()["parts"][0]["status"] == "delivered"

    assert review(orders, order, part_a, rating=4).status_code == 201


@pytest.mark.parametrize(
    "body, fields",
    [
        ({"rating": 0}, {"rating"}),
        ({"rating": 6, "text": "   "}, {"rating", "text"}),
        ({"text": "x" * 2001}, {"text"}),
        ({"rating": "five"}, {"rating"}),
        ({"rating": None, "text": None}, {"rating", "text"}),
    ],
)
def test_invalid_review_is_422_naming_each_field(orders_on_sqlite, body, fields):
    order, part_a, _ = shipped_order(orders_on_sqlite)

    response = review(orders_on_sqlite, order, part_a, **body)

    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == fields
    assert orders_on_sqlite.count(db.Review) == 0


def test_review_text_of_exactly_2000_characters_is_kept(orders_on_sqlite):
    order, part_a, _ = shipped_order(orders_on_sqlite)

    response = review(orders_on_sqlite, order, part_a, text=" " + "é" * 2000 + " ")

    assert response.status_code == 201
    assert response.get_json()["text"] == "é" * 2000


def test_shop_answers_once_and_the_answer_is_public(orders):
    order, part_a, _ = shipped_order(orders)
    review_id = review(orders, order, part_a).get_json()["id"]

    first = answer(orders, "a", review_id, text="  Thank you, Ada!  ")
    second = answer(orders, "a", review_id, text="And again")

    assert first.status_code == 200
    assert first.get_json()["answer"]["text"] == "Thank you, Ada!"
    assert second.status_code == 409
    assert "already has the shop's answer" in second.get_json()["error"]
    [shown] = public(orders)["reviews"]
    assert shown["answer"]["text"] == "Thank you, Ada!"


def test_empty_answer_is_422_naming_text(orders_on_sqlite):
    order, part_a, _ = shipped_order(orders_on_sqlite)
    review_id = review(orders_on_sqlite, order, part_a).get_json()["id"]

    response = answer(orders_on_sqlite, "a", review_id, text=" \n ")

    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"text"}
    assert public(orders_on_sqlite)["reviews"][0]["answer"] is None


def test_public_list_is_newest_first_paginated_with_reputation(orders):
    ratings = [5, 2, 4]
    for n, rating in enumerate(ratings):
        order, part_a, _ = shipped_order(orders, user=f"buyer-{n}")
        assert review(orders, order, part_a, user=f"buyer-{n}", rating=rating).status_code == 201

    first = public(orders, per_page=2)
    second = public(orders, per_page=2, page=2)

    assert [r["rating"] for r in first["reviews"] + second["reviews"]] == [4, 2, 5]
    assert (first["total"], first["page"], first["per_page"]) == (3, 1, 2)
    assert first["reputation"] == {
        "shop_id": "a",
        "average": 3.67,
        "count": 3,
        "positive_share": 0.6667,
        "recent_count": 3,
        "revision": 3,
    }
    assert [event["reputation"]["revision"] for event in posted_events(orders)] == [1, 2, 3]
    assert orders.client.get("/shops/a/reputation").get_json() == first["reputation"]
    assert public(orders, shop_id="b")["reviews"] == []


def test_positive_share_counts_only_the_last_twelve_months(orders):
    for n, rating in enumerate([1, 5]):
        order, part_a, _ = shipped_order(orders, user=f"buyer-{n}")
        assert review(orders, order, part_a, user=f"buyer-{n}", rating=rating).status_code == 201
    with orders.runtime.session_factory.begin() as session:
        session.execute(
            update(db.Review)
            .where(db.Review.rating == 1)
            .values(posted_at=datetime.now(UTC) - timedelta(days=400))
        )

    reputation = orders.client.get("/shops/a/reputation").get_json()

    assert (reputation["average"], reputation["count"]) == (3.0, 2)
    assert (reputation["positive_share"], reputation["recent_count"]) == (1.0, 1)


def test_bad_page_parameters_are_422_naming_them(orders_on_sqlite):
    response = orders_on_sqlite.client.get("/shops/a/reviews?page=0&per_page=500")

    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"page", "per_page"}


def test_buyer_sees_own_reviews_of_an_order(orders):
    order, part_a, _ = shipped_order(orders)
    posted = review(orders, order, part_a).get_json()

    mine = orders.client.get(f"/orders/{order['id']}/reviews", headers=support.auth_header("ada"))

    assert mine.status_code == 200
    assert mine.get_json()["reviews"] == [posted]


def test_privacy_every_review_endpoint_as_the_wrong_person(orders):
    order, part_a, _ = shipped_order(orders)
    review_id = review(orders, order, part_a).get_json()["id"]
    mallory = support.auth_header("mallory", "Mallory")
    part_url = f"/orders/{order['id']}/parts/{part_a['shop_order_id']}/review"

    # Another shopper cannot review someone else's part, nor read their reviews.
    stranger = orders.client.post(part_url, json={"rating": 1, "text": "x"}, headers=mallory)
    assert stranger.status_code == 404
    assert orders.client.get(f"/orders/{order['id']}/reviews", headers=mallory).status_code == 404
    # Nobody answers without a token, another shop's member answers nothing, the buyer neither.
    anonymous = orders.client.post(f"/shops/a/reviews/{review_id}/answer", json={"text": "x"})
    assert anonymous.status_code == 401
    assert answer(orders, "a", review_id, headers=seller_b()).status_code == 404
    assert answer(orders, "b", review_id, headers=seller_b()).status_code == 404
    assert answer(orders, "a", review_id, headers=support.auth_header("ada")).status_code == 404
    assert orders.client.post(part_url, json={"rating": 1, "text": "x"}).status_code == 401
    # What anyone sees names no buyer, order or part.
    for path in ("/shops/a/reviews", "/shops/a/reputation"):
        text = orders.client.get(path).get_data(as_text=True)
        assert order["id"] not in text and part_a["shop_order_id"] not in text
        assert '"ada"' not in text and "buyer" not in text
    [shown] = public(orders)["reviews"]
    assert set(shown) == {"id", "reviewer_name", "rating", "text", "posted_at", "answer"}
    assert orders.count(db.Review) == 1
    with orders.runtime.session_factory() as session:
        assert session.get(db.Review, review_id).answer is None


def test_reputation_of_no_reviews_is_zero():
    assert Reputation.of(Tally()) == Reputation(
        average=0.0, count=0, positive_share=0.0, recent_count=0, revision=0
    )


def test_a_shipment_through_the_broker_lets_the_buyer_review(orders_on_broker):
    service = orders_on_broker
    a = service.listings.add(listing(shop_id="a"))
    order = service.order_in_cart("ada", a)
    part = order["parts"][0]
    publish(service, wrap(shipped(part, order)))
    with support.running(build(service.runtime)):
        support.wait_for(lambda: review(service, order, part).status_code == 201)

    assert service.count(db.Review) == 1
