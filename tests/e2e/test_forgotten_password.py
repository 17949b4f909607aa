"""A person who forgot their password gets back in through the link mailed to them.

The mail is the notifications service's to send: here the link is read from the
`account.notice` the gateway's worker relays to the real broker, on a queue the test binds
where that service's queue will be.
"""

from __future__ import annotations

import pika
import pytest
from playwright.sync_api import expect

from services.common.contracts import AccountNotice, decode
from services.common.messaging.topology import Topology
from services.common.messaging.worker import connection_parameters
from tests import support
from tests.e2e.steps import PASSWORD, sign_up

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "lighthouse parsnip orbit"


class Mailbox:
    """The account notices relayed to the broker, as the notifications service receives them."""

    def __init__(self, amqp_url: str, prefix: str) -> None:
        self.connection = pika.BlockingConnection(connection_parameters(amqp_url))
        self.channel = self.connection.channel()
        topology = Topology(prefix=prefix)
        topology.declare(self.channel)
        self.queue = self.channel.queue_declare("", exclusive=True).method.queue
        self.channel.queue_bind(self.queue, topology.exchange, routing_key="account.notice")
        self.notices: list[AccountNotice] = []

    def notice(self, kind: str, email: str) -> AccountNotice:
        def arrived() -> AccountNotice | None:
            while True:
                method, _properties, body = self.channel.basic_get(self.queue, auto_ack=True)
                if method is None:
                    break
                _envelope, event = decode(body)
                assert isinstance(event, AccountNotice)
                self.notices.append(event)
            for notice in reversed(self.notices):
                if notice.kind == kind and notice.email == email:
                    return notice
            return None

        return support.wait_for(arrived, timeout=30)

    def close(self) -> None:
        self.connection.close()


def test_forgotten_password_through_the_mailed_link(system, new_page, amqp_prefix):  # noqa: ANN001
    mailbox = Mailbox(system.env["AMQP_URL"], amqp_prefix)
    try:
        base = system.url("gateway")
        page = new_page()
        sign_up(page, base, "clara@example.com", "Clara Reader")
        page.get_by_role("button", name="Log out").click()

        page.goto(f"{base}/login")
        page.get_by_role("link", name="Forgot your password?").click()
        page.get_by_label("Email").fill("clara@example.com")
        page.get_by_role("button", name="Send me a link").click()
        expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()

        link = mailbox.notice("reset_password", "clara@example.com").link or ""
        assert link.startswith(base)
        page.goto(link)
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Set my new password").click()
        expect(page.get_by_text("Your password is changed")).to_be_visible()

        page.get_by_label("Email").fill("clara@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(
            page.get_by_text("That e-mail and password do not match an account.")
        ).to_be_visible()
        page.get_by_label("Password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

        # The link was for one use only.
        page.goto(link)
        expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
        assert mailbox.notice("password_changed", "clara@example.com").user_id
    finally:
        mailbox.close()
