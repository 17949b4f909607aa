"""Small helpers for driving the gateway through Flask's test client, as a browser would."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.db import OutboxMessage

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

PASSWORD = "correct horse battery"


def csrf_token(client: FlaskClient, page: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page's form like a browser."""
    html = client.get(page).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict, *, page: str = "/login", **options):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data}, **options)


def sign_up(
    client: FlaskClient,
    email: str = "ada@example.org",
    display_name: str = "Ada Lovelace",
    password: str = PASSWORD,
    *,
    confirm: str | None = None,
    follow_link: bool = True,
):
    """Sign up as a person does: the form, then the link mailed to confirm the address,
    which logs the new account in. Returns the last response (the form's, when it was
    refused or `follow_link` is False)."""
    response = post_form(
        client,
        "/signup",
        {
            "email": email,
            "display_name": display_name,
            "password": password,
            "confirm": password if confirm is None else confirm,
        },
        page="/signup",
    )
    if response.status_code != 302 or not follow_link:
        return response
    link = latest_notice(client, "verify_email", email)["link"]
    return confirm_address(client, link)


def notices(client: FlaskClient, kind: str | None = None, email: str | None = None) -> list[dict]:
    """The `account.notice` events the gateway has staged in its outbox, oldest first: the
    mails the notifications service would send."""
    runtime = client.application.extensions["runtime"]
    with runtime.session_factory() as session:
        bodies = session.scalars(
            select(OutboxMessage.body)
            .where(OutboxMessage.event_type == "account.notice")
            .order_by(OutboxMessage.seq)
        ).all()
    found = [json.loads(body)["payload"] for body in bodies]
    return [
        notice
        for notice in found
        if (kind is None or notice["kind"] == kind) and (email is None or notice["email"] == email)
    ]


def latest_notice(client: FlaskClient, kind: str, email: str) -> dict:
    found = notices(client, kind, email.strip().lower())
    assert found, f"no {kind} notice for {email}"
    return found[-1]


def path_of(link: str) -> str:
    return urlsplit(link).path


def confirm_address(client: FlaskClient, link: str):
    page = path_of(link)
    return post_form(client, page, {}, page=page)


def log_in(
    client: FlaskClient, email: str = "ada@example.org", password: str = PASSWORD, **options
):
    return post_form(client, "/login", {"email": email, "password": password}, **options)


def log_out(client: FlaskClient):
    return post_form(client, "/logout", {}, page="/")


def text(response) -> str:
    return response.get_data(as_text=True)
