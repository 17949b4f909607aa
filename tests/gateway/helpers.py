"""Small helpers for driving the gateway through Flask's test client, as a browser would."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

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
):
    return post_form(
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


def log_in(
    client: FlaskClient, email: str = "ada@example.org", password: str = PASSWORD, **options
):
    return post_form(client, "/login", {"email": email, "password": password}, **options)


def log_out(client: FlaskClient):
    return post_form(client, "/logout", {}, page="/")


def text(response) -> str:
    return response.get_data(as_text=True)
