"""The /people and /favourites pages through the gateway, with every service down: following
needs nothing but the gateway's own database."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway import people_services
from gateway.db import User
from tests.gateway.helpers import post_form, sign_up, text

FOLLOW_ACTION = re.compile(r'action="/people/follows/([0-9a-f-]{36})/(accept|decline|end)"')


def a_person(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    response = sign_up(client, email=f"{name.lower()}@example.org", display_name=name)
    assert response.status_code == 302
    return client


def user_id(app: Flask, name: str) -> str:
    with app.extensions["runtime"].session_factory() as session:
        return session.scalar(select(User.id).where(User.email == f"{name.lower()}@example.org"))


def ask(client: FlaskClient, email: str):
    return post_form(client, "/people/follow", {"email": email}, page="/people")


def follow_ids(client: FlaskClient, action: str) -> list[str]:
    return [
        follow_id
        for follow_id, found in FOLLOW_ACTION.findall(text(client.get("/people")))
        if found == action
    ]


def act(client: FlaskClient, follow_id: str, action: str):
    return post_form(client, f"/people/follows/{follow_id}/{action}", {}, page="/people")


def followees(app: Flask, name: str) -> list[str]:
    with app.extensions["runtime"].session_factory() as session:
        return [
            person.display_name for person in people_services.followees(session, user_id(app, name))
        ]


def takes_requests(client: FlaskClient) -> bool:
    """Whether the "Let people ask to follow me" box on the client's /people is ticked."""
    setting = text(client.get("/people")).split('id="requests-setting"')[1].split("</form>")[0]
    box = re.search(r"<input[^>]*accepts_requests[^>]*>", setting)
    assert box, "no accepts_requests box"
    return "checked" in box.group(0)


def test_people_pages_ask_to_log_in_first(app: Flask):
    client = app.test_client()

    for page in ("/people", "/favourites"):
        response = client.get(page)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_asking_a_known_or_an_unknown_address_gets_the_same_answer(app: Flask):
    ann = a_person(app, "Ann")
    a_person(app, "Ben")

    known = ask(ann, "ben@example.org")
    known_page = text(ann.get("/people"))
    unknown = ask(ann, "nobody@example.org")
    unknown_page = text(ann.get("/people"))

    assert known.status_code == unknown.status_code == 302
    assert "Request sent. If ben@example.org has an account" in known_page
    assert "Request sent. If nobody@example.org has an account" in unknown_page
    assert "ben@example.org, sent" in unknown_page and "nobody@example.org, sent" in unknown_page
    # Nothing on the asker's page gives the account away, not even its name.
    assert "Ben" not in unknown_page


def test_follow_request_accept_shows_both_sides_and_the_waiting_count(app: Flask):
    ann = a_person(app, "Ann")
    ben = a_person(app, "Ben")
    ask(ann, "ben@example.org")

    bens_page = text(ben.get("/people"))
    assert "People <span" in bens_page and "(1)" in bens_page
    assert "Ann (ann@example.org) asks to follow you" in bens_page
    (request_id,) = follow_ids(ben, "accept")

    response = act(ben, request_id, "accept")

    assert response.status_code == 302
    assert followees(app, "Ann") == ["Ben"]
    assert "Ann (ann@example.org)" in text(ben.get("/people")).split("Your followers")[1]
    anns_page = text(ann.get("/people"))
    assert "Ben (ben@example.org)" in anns_page.split("People you follow")[1]
    assert "No requests waiting." in anns_page


def test_decline_then_unfollow_and_remove_follower_end_it(app: Flask):
    ann = a_person(app, "Ann")
    ben = a_person(app, "Ben")
    cat = a_person(app, "Cat")
    ask(ann, "ben@example.org")
    ask(ann, "cat@example.org")
    ask(cat, "ben@example.org")
    act(cat, follow_ids(cat, "decline")[0], "decline")
    for request_id in follow_ids(ben, "accept"):
        act(ben, request_id, "accept")
    assert followees(app, "Ann") == ["Ben"] and followees(app, "Cat") == ["Ben"]

    (anns_follow,) = [fid for fid in follow_ids(ann, "end") if fid in follow_ids(ben, "end")]
    assert act(ann, anns_follow, "end").status_code == 302  # Ann unfollows Ben
    cats_follow = follow_ids(ben, "end")[0]
    assert act(ben, cats_follow, "end").status_code == 302  # Ben removes Cat

    assert followees(app, "Ann") == [] and followees(app, "Cat") == []
    assert "Nobody follows you." in text(ben.get("/people"))


def test_someone_else_cannot_answer_or_end_a_follow(app: Flask):
    ann = a_person(app, "Ann")
    ben = a_person(app, "Ben")
    mallory = a_person(app, "Mallory")
    ask(ann, "ben@example.org")
    (request_id,) = follow_ids(ben, "accept")

    for action in ("accept", "decline", "end"):
        assert act(mallory, request_id, action).status_code == 404
    assert act(ann, request_id, "accept").status_code == 404
    assert act(ben, "not-a-follow", "accept").status_code == 404

    assert followees(app, "Ann") == []
    assert follow_ids(ben, "accept") == [request_id]


def test_forms_without_a_csrf_token_change_nothing(app: Flask):
    ann = a_person(app, "Ann")
    ben = a_person(app, "Ben")
    ask(ann, "ben@example.org")
    (request_id,) = follow_ids(ben, "accept")

    assert ben.post(f"/people/follows/{request_id}/accept").status_code == 400
    assert ann.post("/people/follow", data={"email": "cat@example.org"}).status_code == 400
    assert ben.post("/people/settings", data={}).status_code == 400
    assert ann.post("/favourites/shops/shop-1", data={}).status_code == 400

    assert followees(app, "Ann") == []
    assert "cat@example.org" not in text(ann.get("/people"))
    assert takes_requests(ben)


def test_follow_form_errors_show_next_to_the_field(app: Flask):
    ann = a_person(app, "Ann")

    empty = ask(ann, "")
    own = ask(ann, "ANN@example.org")

    assert empty.status_code == 400 and own.status_code == 400
    assert 'id="email-error"' in text(empty) and "Enter the e-mail address" in text(empty)
    assert "That is your own address" in text(own)


def test_turning_requests_off_means_nobody_can_ask(app: Flask):
    ann = a_person(app, "Ann")
    ben = a_person(app, "Ben")

    response = post_form(ben, "/people/settings", {}, page="/people")  # the box unticked
    asked = ask(ann, "ben@example.org")

    assert response.status_code == 302
    assert asked.status_code == 302
    assert "Request sent." in text(ann.get("/people"))
    assert "Nobody is waiting for an answer." in text(ben.get("/people"))
    assert not takes_requests(ben)


def test_favourites_without_shops_and_with_the_catalog_down(app: Flask):
    ann = a_person(app, "Ann")
    assert "You follow no shop yet." in text(ann.get("/favourites"))
    with app.extensions["runtime"].session_factory() as session:
        people_services.follow_shop(
            session,
            user_id=user_id(app, "Ann"),
            shop_id="shop-1",
            shop_name="Mara's Books",
            shop_slug="maras-books",
        )

    page = ann.get("/favourites")

    assert page.status_code == 200
    assert "Mara&#39;s Books" in text(page)
    assert "cannot be shown right now" in text(page)


def test_following_a_shop_with_the_shops_service_down_is_a_friendly_503(app: Flask):
    ann = a_person(app, "Ann")

    response = post_form(ann, "/favourites/shops/shop-1", {"next": "/"}, page="/people")

    assert response.status_code == 503
    assert "briefly unavailable" in text(response)


def test_nav_counts_requests_only_for_the_person_asked(app: Flask):
    ann = a_person(app, "Ann")
    ben = a_person(app, "Ben")
    ask(ann, "ben@example.org")

    assert "(1)" in text(ben.get("/people")).split("</nav>")[0]
    assert "(1)" not in text(ann.get("/people")).split("</nav>")[0]
