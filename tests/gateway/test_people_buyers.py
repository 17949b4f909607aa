"""Bought from by N people you follow, against the real orders service (on a thread).

The orders service answers about whichever people it is asked about, so the privacy rule
lives in the gateway: it only ever sends the people who accepted the shopper as a follower.
These tests record what the gateway sends (one question per page, asked by the page's view
through gateway/pages/followed.py), and what the partials then show from its answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask, render_template
from flask_login import login_user

from gateway import account_services, people_services
from gateway.clients.buyers import BuyersClient
from gateway.db import User
from gateway.identity import SignedInUser
from gateway.pages.followed import Followed, followed_ask
from gateway.pages.gather import gather
from services.common.contracts import ShopOrderAccepted
from tests import support
from tests.gateway.conftest import GatewayFactory
from tests.orders.conftest import OrdersService, build_service
from tests.orders.test_buyers_among import answer, bought
from tests.orders.test_worker import about

pytestmark = pytest.mark.integration

NAMES = ("Ann", "Ben", "Cat", "Dan", "Eve", "Fay", "Gil")


@dataclass
class World:
    app: Flask
    orders: OrdersService
    users: dict[str, User]
    sent: list[tuple[list[str], list[str]]]


@pytest.fixture
def orders_service(tmp_path) -> Iterator[tuple[OrdersService, str]]:
    service = build_service(f"sqlite:///{tmp_path / 'orders.db'}")
    with support.serving(service.client.application) as url:
        yield service, url
    service.runtime.engine.dispose()


@pytest.fixture
def world(make_gateway: GatewayFactory, orders_service, monkeypatch) -> World:
    service, url = orders_service
    app = make_gateway(orders_url=url)
    users = {}
    with app.extensions["runtime"].session_factory() as session:
        for name in NAMES:
            users[name] = account_services.create_user(
                session, f"{name.lower()}@example.org", name, "correct horse battery"
            )
            session.expunge(users[name])
    sent: list[tuple[list[str], list[str]]] = []
    real = BuyersClient.buyers_among

    def recording(client, shop_ids, user_ids):  # noqa: ANN001, ANN202
        sent.append((list(shop_ids), list(user_ids)))
        return real(client, shop_ids, user_ids)

    monkeypatch.setattr(BuyersClient, "buyers_among", recording)
    return World(app, service, users, sent)


def follow(world: World, follower: str, followee: str, *then: str) -> None:
    """`follower` asks `followee`, who answers; `then` is accept, decline, unfollow, remove."""
    users = world.users
    with world.app.extensions["runtime"].session_factory() as session:
        people_services.ask_to_follow(
            session, follower_id=users[follower].id, email=users[followee].email
        )
        (request,) = [
            link.id
            for link in people_services.overview(session, users[followee].id).requests_in
            if link.person.id == users[follower].id
        ]
        for step in then:
            actor = {"accept": followee, "decline": followee, "remove": followee}.get(
                step, follower
            )
            action = {
                "accept": people_services.accept,
                "decline": people_services.decline,
            }.get(step, people_services.end_follow)
            action(session, user_id=users[actor].id, follow_id=request)


def buys_from(world: World, name: str, shop_id: str) -> None:
    order, part = bought(world.orders, world.users[name].id, shop_id)
    answer(world.orders, order, part, about(part, order, ShopOrderAccepted))


def followed_at(shop_ids: list[str]) -> Followed | None:
    """What a page's view gathers about the shops it lists."""
    return gather(followed_ask(shop_ids), timeout=5)["followed"]


def as_user(world: World, name: str):  # noqa: ANN201 - a request context
    context = world.app.test_request_context("/search")
    context.push()
    login_user(SignedInUser.of(world.users[name]))
    return context


def test_only_accepted_followees_are_sent_and_shown(world: World):
    follow(world, "Ann", "Ben", "accept")
    follow(world, "Ann", "Cat")  # pending
    follow(world, "Ann", "Dan", "decline")
    follow(world, "Ann", "Eve", "accept", "unfollow")
    follow(world, "Ann", "Fay", "accept", "remove")
    follow(world, "Ann", "Gil", "accept")  # accepted, bought nothing
    follow(world, "Ben", "Cat", "accept")  # someone else's follow
    for name in ("Ben", "Cat", "Dan", "Eve", "Fay"):
        buys_from(world, name, "shop-a")

    context = as_user(world, "Ann")
    try:
        followed = followed_at(["shop-a"])
        shown = followed.buyers("shop-a")
        card = render_template("people/_card.html", hit={"shop_id": "shop-a"}, followed=followed)
    finally:
        context.pop()

    assert [person.display_name for person in shown] == ["Ben"]
    assert "Bought from by 1 person you follow" in card
    assert len(world.sent) == 1
    assert sorted(world.sent[0][1]) == sorted([world.users["Ben"].id, world.users["Gil"].id])


def test_one_question_per_page_for_every_listed_shop(world: World):
    follow(world, "Ann", "Ben", "accept")
    follow(world, "Ann", "Cat", "accept")
    buys_from(world, "Ben", "shop-a")
    buys_from(world, "Cat", "shop-a")
    buys_from(world, "Cat", "shop-b")

    context = as_user(world, "Ann")
    try:
        followed = followed_at(["shop-a", "shop-b", "shop-c"])
        shop_a = followed.buyers("shop-a")
        shop_b = followed.buyers("shop-b")
        shop_c = followed.buyers("shop-c")
        unlisted = followed.buyers("shop-z")
        listing_box = render_template(
            "people/_followed_buyers.html", shop_id="shop-a", shop_name="Shop A", followed=followed
        )
    finally:
        context.pop()

    assert [p.display_name for p in shop_a] == ["Ben", "Cat"]
    assert [p.display_name for p in shop_b] == ["Cat"]
    assert shop_c == [] and unlisted == []
    assert "Bought from by 2 people you follow:" in listing_box and "Ben, Cat" in listing_box
    assert len(world.sent) == 1
    assert world.sent[0][0] == ["shop-a", "shop-b", "shop-c"]


def test_someone_who_follows_nobody_causes_no_question_at_all(world: World):
    follow(world, "Ben", "Ann", "accept")  # Ann is followed, but follows nobody
    buys_from(world, "Ben", "shop-a")

    context = as_user(world, "Ann")
    try:
        asks = followed_ask(["shop-a"])
        card = render_template("people/_card.html", hit={"shop_id": "shop-a"})
    finally:
        context.pop()

    assert asks == {}
    assert "Bought from" not in card
    assert world.sent == []


def test_the_orders_service_down_shows_nothing_and_breaks_nothing(
    make_gateway: GatewayFactory, tmp_path
):
    app = make_gateway()  # every service is down
    with app.extensions["runtime"].session_factory() as session:
        ann = account_services.create_user(session, "ann@example.org", "Ann", "correct horse")
        ben = account_services.create_user(session, "ben@example.org", "Ben", "correct horse")
        people_services.ask_to_follow(session, follower_id=ann.id, email=ben.email)
        (request,) = people_services.overview(session, ben.id).requests_in
        people_services.accept(session, user_id=ben.id, follow_id=request.id)
        signed_in = SignedInUser.of(ann)

    with app.test_request_context("/search"):
        login_user(signed_in)
        found = gather(followed_ask(["shop-a"]), timeout=5)
        card = render_template("people/_card.html", hit={"shop_id": "shop-a"}, **found.values)

    assert found["followed"] is None and found.missing == []
    assert card.strip() == ""
