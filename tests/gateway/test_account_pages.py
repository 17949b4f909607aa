"""Sign up, log in, log out and the session rules, through the gateway's pages."""

from __future__ import annotations

from flask import Flask

from tests.gateway.helpers import PASSWORD, log_in, log_out, post_form, sign_up, text


def is_logged_in(client) -> bool:  # noqa: ANN001
    return 'id="log-out"' in text(client.get("/login"))


def test_signup_logs_the_new_user_in(app: Flask):
    client = app.test_client()

    response = sign_up(client, display_name="Ada Lovelace")

    assert response.status_code == 302
    assert is_logged_in(client)
    assert "Ada Lovelace" in text(client.get("/login"))


def test_signup_duplicate_email_shows_message(app: Flask):
    sign_up(app.test_client())

    response = sign_up(app.test_client(), email="ADA@example.org")

    assert response.status_code == 400
    assert "An account with this e-mail address already exists" in text(response)


def test_signup_short_password_and_mismatch_show_messages(app: Flask):
    client = app.test_client()

    short = sign_up(client, password="short")
    mismatch = sign_up(client, confirm="something else entirely")

    assert "at least 8 characters" in text(short)
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


def test_login_eleventh_attempt_after_ten_failures_gets_429(app: Flask):
    sign_up(app.test_client())
    client = app.test_client()
    for _ in range(10):
        assert log_in(client, password="wrong guess").status_code == 400

    response = log_in(client, password=PASSWORD)

    assert response.status_code == 429
    assert "Too many failed log-ins" in text(response)
    assert "try again after" in text(response)
    assert int(response.headers["Retry-After"]) > 0
    assert not is_logged_in(client)


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
