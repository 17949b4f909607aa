"""The notifications service's rules, without a database or a network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notifications import unsubscribe
from services.notifications.domain import (
    OPTIONAL_KINDS,
    Kind,
    digest_due,
    is_permanent,
    mail_id,
    retry_delay,
)
from services.notifications.render import Renderer, format_money
from services.notifications.smtp import InvalidSmtpUrl, SmtpTarget

SECRET = "unsubscribe-secret-0123456789abcdef"


def test_mail_id_is_the_same_for_the_same_event_recipient_and_kind():
    one = mail_id(event_id="e1", recipient="ada", kind="order_shipped")
    assert one == mail_id(event_id="e1", recipient="ada", kind="order_shipped")
    assert one != mail_id(event_id="e1", recipient="ben", kind="order_shipped")
    assert one != mail_id(event_id="e2", recipient="ada", kind="order_shipped")


def test_retry_delay_doubles_up_to_the_longest():
    delays = [retry_delay(n, longest=60).total_seconds() for n in range(1, 7)]
    assert delays == [5, 10, 20, 40, 60, 60]


@pytest.mark.parametrize(
    ("code", "permanent"), [(550, True), (554, True), (451, False), (421, False)]
)
def test_only_5xx_is_permanent(code, permanent):
    assert is_permanent(code) is permanent


def test_digest_is_due_an_hour_after_the_last():
    now = datetime(2026, 12, 6, 12, tzinfo=UTC)
    hour = timedelta(hours=1)
    assert digest_due(last_sent=None, now=now, every=hour)
    assert not digest_due(last_sent=now - timedelta(minutes=59), now=now, every=hour)
    assert digest_due(last_sent=now - hour, now=now, every=hour)


def test_account_mails_are_never_optional():
    assert Kind.ACCOUNT not in OPTIONAL_KINDS
    assert Kind.ORDER_SHIPPED in OPTIONAL_KINDS


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://127.0.0.1:1025", SmtpTarget("smtp", "127.0.0.1", 1025)),
        (
            "smtp+starttls://mailer%40shop:s3cr%2Ft@smtp.example.org",
            SmtpTarget("smtp+starttls", "smtp.example.org", 587, "mailer@shop", "s3cr/t"),
        ),
        ("smtps://u:p@smtp.example.org", SmtpTarget("smtps", "smtp.example.org", 465, "u", "p")),
    ],
)
def test_smtp_url_names_scheme_host_port_and_credentials(url, expected):
    assert SmtpTarget.parse(url) == expected


@pytest.mark.parametrize("url", ["http://example.org", "smtp://", "127.0.0.1:25"])
def test_a_bad_smtp_url_says_what_it_should_look_like(url):
    with pytest.raises(InvalidSmtpUrl, match="smtp://host:port"):
        SmtpTarget.parse(url)


def test_unsubscribe_token_round_trips_and_refuses_another_secret():
    token = unsubscribe.issue(unsubscribe.Unsubscribe("ada", "order_shipped"), secret=SECRET)
    assert unsubscribe.verify(token, secret=SECRET) == unsubscribe.Unsubscribe(
        "ada", "order_shipped"
    )
    with pytest.raises(unsubscribe.InvalidUnsubscribeToken):
        unsubscribe.verify(token, secret=SECRET + "x")


def test_money_reads_as_people_write_it():
    assert format_money(1250, "EUR") == "12.50 EUR"
    assert format_money(123456789, "GBP") == "1,234,567.89 GBP"


def test_html_mail_escapes_what_people_wrote_and_text_keeps_it():
    rendered = Renderer().render(
        "message_to_shop",
        name="Camille",
        subject="s",
        link=None,
        link_label="",
        unsubscribe_url=None,
        public_url="https://x",
        shop_name="Rue des Livres",
        sender_name="Ada",
        topic="Emma",
        excerpt="<script>alert(1)</script> & thanks",
    )
    assert "<script>alert(1)</script> & thanks" in rendered.text
    assert "&lt;script&gt;" in rendered.html and "<script>" not in rendered.html
