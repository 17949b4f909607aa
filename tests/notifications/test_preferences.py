"""Preferences and unsubscribe: a kind turned off sends nothing of that kind, account mails
always go, and the link in a mail turns its kind off through the gateway's route, from a
browser (confirm, then POST) or a mail client's one-click POST."""

from __future__ import annotations

import re

import pytest

from services.common.contracts import AccountNotice, ShopOrderAccepted
from services.notifications import unsubscribe
from services.notifications.outbound import MailSender
from services.notifications.smtp import SmtpTransport
from tests import support
from tests.gateway.conftest import fast_password_hashing, make_gateway  # noqa: F401
from tests.notifications.factories import account, confirmed, line, new_id, part

pytestmark = pytest.mark.integration

BUYER = ("ada", "ada@example.org", "Ada Reader")
ADA = support.FreshAuthHeader(BUYER[0])


def sender_for(notifications) -> MailSender:
    return MailSender(
        notifications.runtime.session_factory,
        SmtpTransport(notifications.settings.smtp_url),
        mail_from=notifications.settings.mail_from,
    )


def enabled(notifications) -> dict[str, bool]:
    body = notifications.client.get("/preferences", headers=support.auth_header(BUYER[0]))
    assert body.status_code == 200
    return {kind["kind"]: kind["enabled"] for kind in body.get_json()["kinds"]}


def test_a_kind_turned_off_sends_nothing_of_that_kind_and_account_mails_still_go(notifications):
    notifications.deliver(account(*BUYER))
    changed = notifications.client.put(
        "/preferences",
        json={"kinds": {"order_confirmed": False}},
        headers=support.auth_header(BUYER[0]),
    )
    assert changed.status_code == 200
    assert enabled(notifications)["order_confirmed"] is False
    assert enabled(notifications)["order_accepted"] is True

    order = confirmed(BUYER[::2], part(new_id(), line("Emma", 1250)))
    notifications.deliver(order)
    notifications.deliver(
        ShopOrderAccepted(
            shop_order_id=order.parts[0].shop_order_id,
            order_id=order.order_id,
            shop_id=order.parts[0].shop_id,
        )
    )
    notifications.deliver(
        AccountNotice(notice_id=new_id(), kind="password_changed", user_id="ada", email=BUYER[1])
    )
    sender = sender_for(notifications)
    sender.send_due()
    sender.transport.close()

    subjects = sorted(str(m["Subject"]) for m in notifications.smtp.to(BUYER[1]))
    assert subjects == ["The shop accepted your order", "Your password was changed"]


def test_account_mails_cannot_be_turned_off_and_a_bad_request_changes_nothing(notifications):
    for body in ({"kinds": {"account": False}}, {"kinds": {"order_confirmed": "perhaps"}}, {}):
        refused = notifications.client.put(
            "/preferences", json=body, headers=support.auth_header(BUYER[0])
        )
        assert refused.status_code == 422, body
    assert all(enabled(notifications).values())
    assert notifications.client.get("/preferences").status_code == 401


def test_an_invalid_or_forged_unsubscribe_token_is_refused(notifications):
    forged = unsubscribe.issue(
        unsubscribe.Unsubscribe(user_id="ada", kind="order_shipped"),
        secret="not-the-service-secret-0123456789abcdef",
    )
    for token in ("nonsense", forged):
        refused = notifications.client.post("/unsubscribe", json={"token": token})
        assert refused.status_code == 400
    assert all(enabled(notifications).values())


@pytest.fixture
def gateway_and_mail(notifications, make_gateway):  # noqa: F811
    with support.serving(notifications.client.application) as url:
        gateway = make_gateway(notifications_url=url)
        yield gateway.test_client(), notifications


def mailed_order_link(notifications) -> tuple[str, str]:
    """Ada's confirmation mail: (its List-Unsubscribe URL, the link in its text)."""
    notifications.deliver(account(*BUYER))
    notifications.deliver(confirmed(BUYER[::2], part(new_id(), line("Emma", 1250))))
    sender = sender_for(notifications)
    sender.send_due()
    sender.transport.close()
    [mail] = notifications.smtp.to(BUYER[1])
    header = str(mail["List-Unsubscribe"]).strip().strip("<>")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    in_text = re.search(r"Stop mails of this kind: (\S+)", text).group(1)
    return header, in_text


def gateway_path(url: str) -> str:
    assert url.startswith("https://storefront.example/unsubscribe/")
    return url.removeprefix("https://storefront.example")


def test_unsubscribe_from_the_link_in_a_mail_through_the_gateway(gateway_and_mail):
    browser, notifications = gateway_and_mail
    header, in_text = mailed_order_link(notifications)
    assert header == in_text
    path = gateway_path(in_text)

    page = browser.get(path)
    assert page.status_code == 200
    assert "Stop receiving “Confirmation of each order I place”?" in page.get_data(as_text=True)
    assert enabled(notifications)["order_confirmed"] is True  # looking changes nothing

    done = browser.post(path)
    assert done.status_code == 200
    assert "you will no longer receive" in done.get_data(as_text=True)
    assert enabled(notifications)["order_confirmed"] is False


def test_one_click_unsubscribe_from_a_mail_client_needs_no_session(gateway_and_mail):
    browser, notifications = gateway_and_mail
    header, _ = mailed_order_link(notifications)

    # RFC 8058: the client POSTs this body to the List-Unsubscribe URL, with no cookie.
    done = browser.post(
        gateway_path(header),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert done.status_code == 200
    assert enabled(notifications)["order_confirmed"] is False
    assert enabled(notifications)["order_shipped"] is True


def test_a_broken_unsubscribe_link_says_what_to_do_instead(gateway_and_mail):
    browser, notifications = gateway_and_mail

    page = browser.post("/unsubscribe/not-a-token")

    assert page.status_code == 400
    assert "change your mail preferences instead" in page.get_data(as_text=True)
