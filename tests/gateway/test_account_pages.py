"""Sign up, log in, log out and the session rules, through the gateway's pages."""

from __future__ import annotations

import re

from flask import Flask

from tests.gateway.helpers import (
    PASSWORD,
    confirm_address,
    latest_notice,
    log_in,
    log_out,
    notices,
    post_form,
    sign_up,
    text,
)


def is_logged_in(client) -> bool:  # noqa: ANN001
    return 'id="log-out"' in text(client.get("/login"))


def test_signup_asks_to_check_mail_and_the_link_logs_in(app: Flask):
    client = app.test_client()

    response = sign_up(client, display_name="Ada Lovelace", follow_link=False)

    assert response.headers["Location"] == "/signup/check-mail"
    assert not is_logged_in(client)
    assert "We sent a message to <strong>ada@example.org</strong>" in text(
        client.get("/signup/check-mail")
    )
    link = latest_notice(client, "verify_email", "ada@example.org")["link"]
    assert confirm_address(client, link).status_code == 302
    assert is_logged_in(client)
    assert "Ada Lovelace" in text(client.get("/login"))


def test_signup_with_a_known_address_answers_as_for_a_new_one(app: Flask):
    sign_up(app.test_client())
    fresh, known = app.test_client(), app.test_client()

    new_answer = sign_up(fresh, email="bob@example.org", follow_link=False)
    known_answer = sign_up(
        known, email="ADA@example.org", password="another fine passphrase", follow_link=False
    )

    assert new_answer.status_code == known_answer.status_code == 302
    assert new_answer.headers["Location"] == known_answer.headers["Location"]
    fresh_page = text(fresh.get("/signup/check-mail")).replace("bob@", "ada@")
    known_page = text(known.get("/signup/check-mail"))
    assert _without_tokens(fresh_page) == _without_tokens(known_page)
    assert "already exists" not in known_page
    # The owner of the address is told instead, and nothing about the account changed.
    told = latest_notice(known, "signup_existing", "ada@example.org")
    assert told["link"].endswith("/password/forgot")
    assert len(notices(known, "verify_email", "ada@example.org")) == 1
    assert log_in(app.test_client(), "ada@example.org", PASSWORD).status_code == 302


def _without_tokens(page: str) -> str:
    return re.sub(r'value="[^"]+"', "", page)


def test_signup_shows_every_fields_error_at_once(app: Flask):
    client = app.test_client()

    response = sign_up(client, email="not-an-address", password="short", confirm="other")

    page = text(response)
    assert response.status_code == 400
    assert "Enter an e-mail address such as ada@example.org." in page
    assert "at least 12 characters" in page
    assert "The two passwords do not match." in page
    assert not is_logged_in(client)


def test_signup_refuses_a_common_password_and_says_why(app: Flask):
    client = app.test_client()

    response = sign_up(client, password="password12345")
    # Strong enough for a stranger, but made of the person's own name and address.
    own_name = sign_up(client, email="lovelace@example.org", password="lovelaceada12")

    assert response.status_code == 400
    assert "harder to guess" in text(response)
    assert "This is similar to a commonly used password." in text(response)
    assert "harder to guess" in text(own_name)
    assert not notices(client)


def test_signup_short_password_and_mismatch_show_messages(app: Flask):
    client = app.test_client()

    short = sign_up(client, password="short")
    mismatch = sign_up(client, confirm="something else entirely")

    assert "at least 12 characters" in text(short)
    assert "The two passwords do not match." in text(mismatch)
    assert not is_logged_in(client)


def test_login_wrong_password_shows_message(app: Flask):
    sign_up(app.test_client())
    client = app.test_client()

    response = log_in(client, password="not my password")

    assert response.status_code == 400
    assert "That e-mail and password do not match an account." in text(response)
    assert not is_logged_in(client)


def test_login_redirects_to_next_only_on_this_site(app: Flask):
    sign_up(app.test_client())

    inside = log_in(app.test_client(), query_string={"next": "/orders"})
    outside = log_in(app.test_client(), query_string={"next": "https://evil.example/"})

    assert inside.headers["Location"] == "/orders"
    assert outside.headers["Location"] == "/"


def test_login_failures_slow_down_that_client_only(app: Flask):
    sign_up(app.test_client())
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for _ in range(3):
        assert log_in(guesser, password="wrong guess").status_code == 400

    response = log_in(guesser, password=PASSWORD)
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.7"

    assert response.status_code == 429
    assert "Too many failed log-ins" in text(response)
    assert "try again after" in text(response)
    assert int(response.headers["Retry-After"]) > 0
    assert not is_logged_in(guesser)
    # The owner, elsewhere, is not locked out by someone else's guesses.
    assert log_in(owner).status_code == 302
    assert is_logged_in(owner)


def test_logout_ends_every_session_of_the_user(app: Flask):
    sign_up(app.test_client())
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop)
    log_in(phone)
    assert is_logged_in(laptop) and is_logged_in(phone)

    log_out(laptop)

    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    log_in(phone)
    assert is_logged_in(phone)


def test_stale_session_cookie_is_not_accepted_after_logout(app: Flask):
    sign_up(app.test_client())
    client = app.test_client()
    log_in(client)
    stolen = client.get_cookie("session").value

    log_out(client)
    replayed = app.test_client()
    replayed.set_cookie("session", stolen)

    assert not is_logged_in(replayed)


def test_post_without_csrf_token_is_refused(app: Flask):
    sign_up(app.test_client())
    client = app.test_client()

    response = client.post("/login", data={"email": "ada@example.org", "password": PASSWORD})

    assert response.status_code == 400
    assert "CSRF" in text(response)
    assert not is_logged_in(client)


def test_logout_without_csrf_token_keeps_the_session(app: Flask):
    client = app.test_client()
    sign_up(client)

    assert client.post("/logout").status_code == 400
    assert is_logged_in(client)


def test_session_cookie_is_httponly_and_lax(app: Flask):
    client = app.test_client()

    response = sign_up(client)

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_when_configured(make_gateway):  # noqa: ANN001
    app = make_gateway(cookie_secure=True)

    response = post_form(
        app.test_client(),
        "/signup",
        {"email": "a@example.org", "display_name": "A", "password": PASSWORD, "confirm": PASSWORD},
        page="/signup",
    )

    assert "Secure" in response.headers["Set-Cookie"]


def test_pages_needing_login_redirect_with_next(app: Flask):
    client = app.test_client()

    for page in ("/checkout", "/orders", "/sell/", "/sell/listings/new"):
        response = client.get(page)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    # The cart is there for anyone: a signed-out shopper's is kept until they log in.
    assert client.get("/cart").status_code == 200
