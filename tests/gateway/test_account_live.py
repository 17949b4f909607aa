"""The account pages that ask the real services (on threads, on the real broker): download
my data, and deleting an account."""

from __future__ import annotations

import json

from flask import Flask
from sqlalchemy import select

from gateway.db import OutboxMessage, User
from gateway.people_db import Follow
from tests.gateway.helpers import PASSWORD, log_in, post_form, sign_up, text
from tests.gateway.test_pages_live import a_seller


def user(app: Flask, email: str) -> User | None:
    with app.extensions["runtime"].session_factory() as session:
        return session.scalar(select(User).where(User.email == email))


def deleted_events(app: Flask) -> list[dict]:
    with app.extensions["runtime"].session_factory() as session:
        bodies = session.scalars(
            select(OutboxMessage.body).where(OutboxMessage.event_type == "account.deleted")
        ).all()
    return [json.loads(body)["payload"] for body in bodies]


def test_download_my_data_holds_the_account_and_what_each_service_keeps(live_gateway: Flask):
    client = live_gateway.test_client()
    sign_up(client)
    added = post_form(
        client, "/wants", {"words": "middlemarch eliot", "currency": "EUR"}, page="/wants"
    )
    assert added.status_code == 302, text(added)

    response = client.get("/account/data.json")

    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["gateway"]["account"]["email"] == "ada@example.org"
    assert data["gateway"]["account"]["email_verified"] is True
    assert len(data["catalog"]["wants"]) == 1
    assert "middlemarch" in json.dumps(data["catalog"]["wants"])
    assert data["orders"]["orders"] == [] and data["orders"]["conversations"] == []
    assert "cart" in data["orders"] and data["shops"]["shops_you_belong_to"] == []
    assert data["shops"]["what_shops_note_about_you"] == []
    assert PASSWORD not in response.get_data(as_text=True)
    assert "password_hash" not in response.get_data(as_text=True)


def test_delete_account_needs_the_password_then_removes_everything(live_gateway: Flask):
    app = live_gateway
    client = app.test_client()
    sign_up(client)
    friend = app.test_client()
    sign_up(friend, email="bob@example.org", display_name="Bob")
    post_form(friend, "/people/follow", {"email": "ada@example.org"}, page="/people")
    page = text(client.get("/account/delete"))
    assert "What the shops keep for their records" in page and "accounting" in page

    wrong = post_form(client, "/account/delete", {"password": "not my password"}, page="/")
    assert wrong.status_code == 400 and user(app, "ada@example.org") is not None
    ada_id = user(app, "ada@example.org").id
    deleted = post_form(client, "/account/delete", {"password": PASSWORD}, page="/")

    assert deleted.headers["Location"] == "/"
    assert user(app, "ada@example.org") is None
    assert deleted_events(app) == [{"user_id": ada_id}]
    assert log_in(app.test_client()).status_code == 400
    with app.extensions["runtime"].session_factory() as session:
        assert not session.scalars(select(Follow).where(Follow.followee_id == ada_id)).all()


def test_delete_account_of_a_shop_member_is_refused_until_the_shop_is_handed_over(
    live_gateway: Flask,
):
    seller = a_seller(live_gateway)

    refused = post_form(seller, "/account/delete", {"password": PASSWORD}, page="/")

    assert refused.status_code == 409
    assert "Mara&#39;s Books" in text(refused) or "Mara's Books" in text(refused)
    assert user(live_gateway, "mara@example.org") is not None
    assert deleted_events(live_gateway) == []
