"""The account's mailed links and its page: confirming an address, the forgotten password,
changing name, address and password, deleting the account; and the events each change
stages in the gateway's outbox, in the transaction of the change."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from gateway import account_services
from gateway.db import AccountToken, OutboxMessage, User
from tests.gateway.helpers import (
    PASSWORD,
    confirm_address,
    latest_notice,
    log_in,
    notices,
    path_of,
    post_form,
    sign_up,
    text,
)

NEW_PASSWORD = "lighthouse parsnip orbit"


def is_logged_in(client) -> bool:  # noqa: ANN001
    return 'id="log-out"' in text(client.get("/login"))


def events(app: Flask, event_type: str) -> list[dict]:
    with app.extensions["runtime"].session_factory() as session:
        bodies = session.scalars(
            select(OutboxMessage.body)
            .where(OutboxMessage.event_type == event_type)
            .order_by(OutboxMessage.seq)
        ).all()
    return [json.loads(body)["payload"] for body in bodies]


def user(app: Flask, email: str) -> User | None:
    with app.extensions["runtime"].session_factory() as session:
        return session.scalar(select(User).where(User.email == email))


# --- confirming the address ---------------------------------------------------------------


def test_signup_stages_the_account_and_its_link_then_confirming_publishes_it_verified(
    app: Flask,
):
    client = app.test_client()
    sign_up(client, follow_link=False)

    [created] = events(app, "account.updated")
    assert created["email"] == "ada@example.org"
    assert created["email_verified"] is False and created["revision"] == 1
    link = latest_notice(client, "verify_email", "ada@example.org")["link"]

    assert text(client.get(path_of(link))).count('id="confirm-address"') == 1
    assert not user(app, "ada@example.org").email_verified  # a GET uses nothing up
    confirm_address(client, link)

    confirmed = events(app, "account.updated")[-1]
    assert confirmed["email_verified"] is True and confirmed["revision"] == 2
    assert user(app, "ada@example.org").email_verified
    assert confirm_address(app.test_client(), link).status_code == 400  # single use


def test_opening_a_shop_waits_for_a_confirmed_address(app: Flask):
    client = app.test_client()
    sign_up(client, follow_link=False)
    log_in(client)

    page = client.get("/sell/shops/new")
    refused = post_form(
        client, "/sell/shops/new", {"name": "Ada's Books", "signature": "Ada"}, page="/account"
    )

    assert "Confirm your e-mail address first" in text(page)
    assert 'id="send-verification"' in text(page)
    assert refused.status_code == 403
    sent_again = post_form(
        client, "/account/verify/send", {"next": "/sell/shops/new"}, page="/account"
    )
    assert sent_again.headers["Location"] == "/sell/shops/new"
    assert len(notices(client, "verify_email", "ada@example.org")) == 2


# --- the forgotten password ---------------------------------------------------------------


def test_forgot_password_answers_the_same_for_any_address_and_mails_only_an_owner(app: Flask):
    sign_up(app.test_client())
    client = app.test_client()
    assert 'href="/password/forgot"' in text(client.get("/login"))

    known = post_form(client, "/password/forgot", {"email": "ada@example.org"}, page="/login")
    unknown = post_form(client, "/password/forgot", {"email": "eve@example.org"}, page="/login")

    assert known.status_code == unknown.status_code == 200
    assert text(known).replace("ada@", "eve@") == text(unknown)
    assert len(notices(client, "reset_password")) == 1
    assert latest_notice(client, "reset_password", "ada@example.org")["user_id"]


def test_reset_link_is_single_use_stored_as_a_hash_and_ends_every_session(app: Flask):
    laptop = app.test_client()
    sign_up(laptop)
    post_form(app.test_client(), "/password/forgot", {"email": "ada@example.org"})
    link = latest_notice(laptop, "reset_password", "ada@example.org")["link"]
    token = link.rsplit("/", 1)[1]
    with app.extensions["runtime"].session_factory() as session:
        stored = session.scalars(select(AccountToken.token_hash)).all()
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored

    phone = app.test_client()
    weak = post_form(
        phone, path_of(link), {"new_password": "password123456", "confirm": "password123456"},
        page=path_of(link),
    )  # fmt: skip
    assert weak.status_code == 400 and "harder to guess" in text(weak)
    reset = post_form(
        phone, path_of(link), {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        page=path_of(link),
    )  # fmt: skip

    assert reset.headers["Location"] == "/login"
    assert not is_logged_in(laptop)
    assert log_in(app.test_client(), password=PASSWORD).status_code == 400
    assert log_in(app.test_client(), password=NEW_PASSWORD).status_code == 302
    assert phone.get(path_of(link)).status_code == 400
    assert latest_notice(laptop, "password_changed", "ada@example.org")


def test_a_used_reset_link_opened_while_logged_in_says_it_no_longer_works(app: Flask):
    client = app.test_client()
    sign_up(client)
    post_form(app.test_client(), "/password/forgot", {"email": "ada@example.org"})
    link = path_of(latest_notice(client, "reset_password", "ada@example.org")["link"])
    post_form(client, link, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page=link)
    log_in(client, password=NEW_PASSWORD)

    again = client.get(link)

    assert again.status_code == 400
    assert "This link no longer works" in text(again)


def test_reset_link_expires_within_an_hour(app: Flask):
    sign_up(app.test_client())
    factory = app.extensions["runtime"].session_factory
    asked = datetime.now(UTC) - timedelta(minutes=61)
    links = account_services.Links("http://shop.test")
    with factory() as session:
        account_services.request_password_reset(session, "ada@example.org", links=links, now=asked)
    token = latest_notice(app.test_client(), "reset_password", "ada@example.org")["link"]
    token = token.rsplit("/", 1)[1]

    with factory() as session:
        assert not account_services.reset_token_usable(session, token)
        try:
            account_services.reset_password(session, token, NEW_PASSWORD)
        except account_services.TokenUnusable:
            pass
        else:  # pragma: no cover - the assertion below says what went wrong
            raise AssertionError("an expired reset link still worked")


def test_forgot_password_requests_are_rate_limited_per_address(app: Flask):
    sign_up(app.test_client())
    answers = []
    for attempt in range(4):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{attempt}"
        answers.append(post_form(client, "/password/forgot", {"email": "ada@example.org"}))

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert "Please wait an hour" in text(answers[-1])
    assert len(notices(app.test_client(), "reset_password")) == 3


# --- the account page ---------------------------------------------------------------------


def test_account_page_links_to_the_address_book_and_mail_preferences(app: Flask):
    client = app.test_client()
    sign_up(client)

    page = text(client.get("/account"))

    assert 'href="/account/addresses"' in page
    assert 'href="/account/mail"' in page
    assert 'id="download-data"' in page and 'id="delete-account"' in page
    assert "ada@example.org" in page and "(confirmed)" in page


def test_change_password_needs_the_current_one_and_ends_the_other_sessions(app: Flask):
    here, elsewhere = app.test_client(), app.test_client()
    sign_up(here)
    log_in(elsewhere)

    wrong = post_form(
        here, "/account/password",
        {"current_password": "not it at all", "new_password": NEW_PASSWORD,
         "confirm": NEW_PASSWORD},
        page="/account",
    )  # fmt: skip
    assert wrong.status_code == 400 and "not your current password" in text(wrong)
    changed = post_form(
        here, "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        page="/account",
    )  # fmt: skip

    assert changed.headers["Location"] == "/account"
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)
    assert latest_notice(here, "password_changed", "ada@example.org")


def test_change_name_publishes_the_account_again(app: Flask):
    client = app.test_client()
    sign_up(client)

    post_form(client, "/account/name", {"display_name": "Augusta Ada"}, page="/account")

    latest = events(app, "account.updated")[-1]
    assert latest["display_name"] == "Augusta Ada" and latest["revision"] == 3
    assert "Augusta Ada" in text(client.get("/account"))


def test_change_email_waits_for_the_link_at_the_new_address_and_tells_the_old(app: Flask):
    client = app.test_client()
    sign_up(client)

    asked = post_form(
        client, "/account/email", {"new_email": "ada@lovelace.example", "password": PASSWORD},
        page="/account",
    )  # fmt: skip
    assert asked.headers["Location"] == "/account"
    assert user(app, "ada@example.org") is not None  # unchanged until confirmed
    link = latest_notice(client, "verify_email", "ada@lovelace.example")["link"]
    confirm_address(client, link)

    assert user(app, "ada@example.org") is None
    assert user(app, "ada@lovelace.example").email_verified
    told = latest_notice(client, "email_changed", "ada@lovelace.example")
    assert told["previous_email"] == "ada@example.org"
    assert events(app, "account.updated")[-1]["email"] == "ada@lovelace.example"
    assert log_in(app.test_client(), "ada@lovelace.example").status_code == 302


def test_change_email_needs_the_password(app: Flask):
    client = app.test_client()
    sign_up(client)

    refused = post_form(
        client, "/account/email", {"new_email": "eve@example.org", "password": "a guess at it"},
        page="/account",
    )  # fmt: skip

    assert refused.status_code == 400
    assert not notices(client, "verify_email", "eve@example.org")


def test_every_account_page_needs_a_log_in(app: Flask):
    client = app.test_client()
    for page in ("/account", "/account/delete", "/account/data.json"):
        response = client.get(page)
        assert response.status_code == 302
        assert re.match(r"/login\?next=", response.headers["Location"])
