"""Exactly once, against a real SMTP server: redelivered events, an SMTP server that is
down or puts mails off for a while, a permanent refusal, and two senders at once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from services.common.clock import utcnow
from services.common.contracts import ShopOrderAccepted, encode, wrap
from services.notifications.outbound import MailSender
from services.notifications.smtp import SmtpTransport
from tests import support
from tests.notifications.factories import account, confirmed, line, new_id, part

pytestmark = pytest.mark.integration

BUYER = ("ada", "ada@example.org", "Ada Reader")


def orders_for(notifications, count: int, buyer=BUYER) -> list:
    """`count` placed orders of the buyer, each making one confirmation mail."""
    return [
        confirmed(buyer[::2], part(new_id(), line(f"Book {n}", 1000 + n))) for n in range(count)
    ]


def message_ids(smtp) -> list[str]:
    return [str(c.message["Message-ID"]) for c in smtp.catcher.messages()]


def test_the_same_event_delivered_twice_sends_one_mail(notifications):
    order = confirmed(BUYER[::2], part(new_id(), line("Emma", 1250)))
    body = encode(wrap(order))
    support.publish(
        notifications.runtime.topology,
        ("account.updated", encode(wrap(account(*BUYER)))),
        ("order.confirmed", body),
        ("order.confirmed", body),
    )

    with notifications.running():
        support.wait_for(lambda: notifications.smtp.count() >= 1)
        support.wait_for(
            lambda: support.queue_depth(notifications.runtime.topology.queue("notifications")) == 0
        )
        # Given time to send a second one, it does not.
        support.wait_for(lambda: all(m.status == "sent" for m in notifications.mails()))

    assert notifications.smtp.count() == 1
    assert len(notifications.mails()) == 1


def test_smtp_down_for_a_while_then_up_every_mail_arrives_once(notifications):
    notifications.smtp.stop()
    notifications.publish(account(*BUYER), *orders_for(notifications, 12))

    with notifications.running():
        support.wait_for(lambda: len(notifications.mails()) == 12)
        support.wait_for(lambda: all(m.attempts >= 2 for m in notifications.mails()))
        assert {m.status for m in notifications.mails()} == {"pending"}
        errors = {m.last_error for m in notifications.mails()}
        assert errors <= {"the mail server could not be reached"} | {
            e for e in errors if e and "Connection refused" in e
        }

        notifications.smtp.start()
        support.wait_for(lambda: notifications.smtp.count() >= 12, timeout=30)
        support.wait_for(lambda: all(m.status == "sent" for m in notifications.mails()))

    assert sorted(message_ids(notifications.smtp)) == sorted(set(message_ids(notifications.smtp)))
    assert notifications.smtp.count() == 12


class PutsOffAtFirst:
    """Answers 451 (try again later) to the first `times` messages."""

    def __init__(self, catcher, times: int) -> None:
        self.catcher, self.left = catcher, times

    async def handle_RCPT(self, *args):  # noqa: N802
        return await self.catcher.handle_RCPT(*args)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.left > 0:
            self.left -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        return await self.catcher.handle_DATA(server, session, envelope)


def test_a_mail_put_off_with_4xx_is_tried_again_and_arrives_once(notifications):
    from services.notifications import mailcatcher

    notifications.smtp.stop()
    controller = mailcatcher.Controller(
        PutsOffAtFirst(notifications.smtp.catcher, 3),
        hostname="127.0.0.1",
        port=notifications.smtp.port,
    )
    controller.start()
    try:
        notifications.publish(account(*BUYER), *orders_for(notifications, 2))
        with notifications.running():
            support.wait_for(lambda: notifications.smtp.count() >= 2, timeout=30)
            support.wait_for(lambda: all(m.status == "sent" for m in notifications.mails()))
    finally:
        controller.stop()

    assert notifications.smtp.count() == 2
    assert sum(m.attempts for m in notifications.mails()) == 2 + 3


def test_a_permanent_refusal_is_recorded_and_shown_to_the_owner(notifications):
    notifications.smtp.catcher.refuse.add(BUYER[1])
    notifications.deliver(account(*BUYER))
    first = confirmed(BUYER[::2], part(new_id(), line("Emma", 1250)))
    notifications.deliver(first)
    sender = MailSender(
        notifications.runtime.session_factory,
        SmtpTransport(notifications.settings.smtp_url),
        mail_from=notifications.settings.mail_from,
    )

    assert sender.send_due() == (0, True)

    [mail] = notifications.mails()
    assert (mail.status, mail.sent_to) == ("refused", BUYER[1])
    shown = notifications.client.get(
        "/preferences", headers=support.auth_header(BUYER[0])
    ).get_json()
    assert shown["address"] == BUYER[1]
    assert shown["refused"]["code"] == 550
    assert "No such mailbox" in shown["refused"]["reason"]

    # Later mails to the refused address are not tried; account mails still are.
    notifications.deliver(
        ShopOrderAccepted(
            shop_order_id=first.parts[0].shop_order_id,
            order_id=first.order_id,
            shop_id=first.parts[0].shop_id,
        )
    )
    sender.send_due()
    assert [m.status for m in notifications.mails(kind="order_accepted")] == ["suppressed"]

    # The owner fixes the mailbox: an account mail goes through and the refusal is cleared.
    from services.common.contracts import AccountNotice

    notifications.smtp.catcher.refuse.clear()
    notifications.deliver(
        AccountNotice(notice_id=new_id(), kind="password_changed", user_id=BUYER[0], email=BUYER[1])
    )
    assert sender.send_due() == (1, True)
    after = notifications.client.get("/preferences", headers=support.auth_header(BUYER[0]))
    assert after.get_json()["refused"] is None
    sender.transport.close()


def test_a_mail_waits_for_its_recipients_address(notifications):
    notifications.deliver(confirmed(BUYER[::2], part(new_id(), line("Emma", 1250))))
    sender = MailSender(
        notifications.runtime.session_factory,
        SmtpTransport(notifications.settings.smtp_url),
        mail_from=notifications.settings.mail_from,
    )

    assert sender.send_due() == (0, True)
    [mail] = notifications.mails()
    assert (mail.status, mail.attempts) == ("pending", 1)

    notifications.deliver(account(*BUYER))
    assert sender.send_due(now=utcnow() + timedelta(minutes=1)) == (1, True)
    assert notifications.smtp.to(BUYER[1])

    # One whose address never comes is given up after days, not tried for ever.
    notifications.deliver(confirmed(("nobody", "No One"), part(new_id(), line("Dune", 900))))
    assert sender.send_due(now=utcnow() + timedelta(days=4)) == (0, True)
    [never] = notifications.mails(user_id="nobody")
    assert never.status == "suppressed"
    sender.transport.close()


def test_two_senders_at_once_never_send_one_mail_twice(notifications):
    notifications.deliver(account(*BUYER))
    for order in orders_for(notifications, 120):
        notifications.deliver(order)

    def send_all() -> None:
        sender = MailSender(
            notifications.runtime.session_factory,
            SmtpTransport(notifications.settings.smtp_url),
            mail_from=notifications.settings.mail_from,
            batch=7,
        )
        while True:
            sent, _ = sender.send_due()
            if not sent:
                break
        sender.transport.close()

    threads = [threading.Thread(target=send_all) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    ids = message_ids(notifications.smtp)
    assert len(ids) == 120 and len(set(ids)) == 120
    assert {m.status for m in notifications.mails()} == {"sent"}


def test_a_claim_left_by_a_sender_that_died_is_taken_over_after_its_lease(notifications):
    notifications.deliver(account(*BUYER))
    notifications.deliver(confirmed(BUYER[::2], part(new_id(), line("Emma", 1250))))
    lease = timedelta(minutes=2)

    def sender() -> MailSender:
        return MailSender(
            notifications.runtime.session_factory,
            SmtpTransport(notifications.settings.smtp_url),
            mail_from=notifications.settings.mail_from,
            lease=lease,
        )

    assert len(sender()._claim(utcnow())) == 1  # claimed, then the sender "dies"
    survivor = sender()
    assert survivor.send_due() == (0, True)
    assert survivor.send_due(now=utcnow() + lease + timedelta(seconds=1)) == (1, True)
    assert notifications.smtp.count() == 1
    survivor.transport.close()


def test_a_malformed_message_is_dead_lettered_and_the_others_still_mailed(notifications):
    topology = notifications.runtime.topology
    order = confirmed(BUYER[::2], part(new_id(), line("Emma", 1250)))
    support.publish(
        topology,
        ("account.updated", encode(wrap(account(*BUYER)))),
        ("order.confirmed", b'{"not": "an envelope"}'),
        ("order.confirmed", encode(wrap(order))),
    )

    with notifications.running():
        support.wait_for(lambda: notifications.smtp.count() == 1)
        support.wait_for(lambda: support.queue_depth(topology.dead_letter_queue("notifications")))

    assert support.queue_depth(topology.dead_letter_queue("notifications")) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_credentials_in_smtp_url_log_in_before_sending(notifications):
    from aiosmtpd.smtp import AuthResult

    from services.notifications import mailcatcher

    logins: list[tuple[bytes, bytes]] = []

    def authenticator(_server, _session, _envelope, _mechanism, data):
        logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cret/pw")

    notifications.smtp.stop()
    controller = mailcatcher.Controller(
        notifications.smtp.catcher,
        hostname="127.0.0.1",
        port=notifications.smtp.port,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        notifications.deliver(account(*BUYER))
        notifications.deliver(confirmed(BUYER[::2], part(new_id(), line("Emma", 1250))))
        port = notifications.smtp.port
        for url, accepted in (
            (f"smtp://mailer:wrong@127.0.0.1:{port}", 0),
            (f"smtp://mailer:s3cret%2Fpw@127.0.0.1:{port}", 1),
        ):
            sender = MailSender(
                notifications.runtime.session_factory,
                # aiosmtpd leaves smtplib's second login attempt unanswered: a short wait.
                SmtpTransport(url, timeout=1.0),
                mail_from=notifications.settings.mail_from,
            )
            assert sender.send_due(now=utcnow() + timedelta(hours=1)) == (accepted, bool(accepted))
            sender.transport.close()
            if not accepted:  # a refused login is no refusal of the recipient
                [mail] = notifications.mails(kind="order_confirmed")
                assert mail.status == "pending"
    finally:
        controller.stop()

    assert logins[-1] == (b"mailer", b"s3cret/pw")
    assert notifications.smtp.count() == 1
