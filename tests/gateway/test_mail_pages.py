"""/account/mail: a person's mail preferences, and an address its mail server refused,
with the real notifications service behind the gateway."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gateway.db import User
from services.notifications.outbound import MailSender
from services.notifications.smtp import SmtpTransport
from tests import support
from tests.gateway.helpers import csrf_token, sign_up, text
from tests.notifications.conftest import build_notifications
from tests.notifications.factories import account, confirmed, line, new_id, part

pytestmark = pytest.mark.integration


@pytest.fixture
def notifications(sqlite_url, amqp_prefix):
    built = build_notifications(sqlite_url, amqp_prefix=amqp_prefix)
    built.smtp.start()
    yield built
    built.smtp.stop()
    built.runtime.engine.dispose()


@pytest.fixture
def browser(make_gateway, notifications):
    with support.serving(notifications.client.application) as url:
        app = make_gateway(notifications_url=url)
        client = app.test_client()
        sign_up(client, email="ada@example.org", display_name="Ada Reader")
        with app.extensions["runtime"].session_factory() as session:
            user_id = session.scalar(select(User.id).where(User.email == "ada@example.org"))
        notifications.deliver(account(user_id, "ada@example.org", "Ada Reader"))
        client.user_id = user_id  # type: ignore[attr-defined]
        yield client


def test_the_page_lists_every_kind_and_saves_the_choice(browser, notifications):
    page = browser.get("/account/mail")
    assert page.status_code == 200
    html = text(page)
    assert "ada@example.org" in html
    assert 'value="order_shipped" id="kind-order_shipped" checked' in html
    assert "always go out" in html

    kept = ["order_shipped", "new_order"]
    saved = browser.post(
        "/account/mail",
        data={"csrf_token": csrf_token(browser, "/account/mail"), "kinds": kept},
        follow_redirects=True,
    )

    assert saved.status_code == 200
    body = notifications.client.get(
        "/preferences", headers=support.auth_header(browser.user_id)
    ).get_json()
    assert {k["kind"] for k in body["kinds"] if k["enabled"]} == set(kept)


def test_a_post_without_the_csrf_token_changes_nothing(browser, notifications):
    browser.post("/account/mail", data={"kinds": []})

    body = notifications.client.get(
        "/preferences", headers=support.auth_header(browser.user_id)
    ).get_json()
    assert all(k["enabled"] for k in body["kinds"])


def test_a_refused_address_is_shown_to_its_owner(browser, notifications):
    notifications.smtp.catcher.refuse.add("ada@example.org")
    notifications.deliver(
        confirmed((browser.user_id, "Ada Reader"), part(new_id(), line("Emma", 1250)))
    )
    sender = MailSender(
        notifications.runtime.session_factory,
        SmtpTransport(notifications.settings.smtp_url),
        mail_from=notifications.settings.mail_from,
    )
    sender.send_due()
    sender.transport.close()

    html = text(browser.get("/account/mail"))

    assert 'id="refused-address"' in html
    assert "was refused by its mail server" in html and "No such mailbox here" in html


def test_the_page_needs_a_signed_in_person(make_gateway):
    page = make_gateway().test_client().get("/account/mail")

    assert page.status_code == 302 and "/login" in page.headers["Location"]
