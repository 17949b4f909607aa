"""A person who forgot their password gets back in through the link mailed to them: the
gateway stages the notice, its worker relays it, the notifications service mails it
through SMTP to the Procfile's mail catcher, and the test reads the mail as it arrived."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import PASSWORD, link_in, mail_to, sign_up

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "lighthouse parsnip orbit"


def test_forgotten_password_through_the_mailed_link(system, new_page):  # noqa: ANN001
    base = system.url("gateway")
    page = new_page()
    sign_up(page, base, "clara@example.com", "Clara Reader")
    page.get_by_role("button", name="Log out").click()

    page.goto(f"{base}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("clara@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()

    link = link_in(mail_to(system, "clara@example.com", "Reset your password"), base)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my new password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()

    page.get_by_label("Email").fill("clara@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("That e-mail and password do not match an account.")).to_be_visible()
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # The link was for one use only, and the owner is told the password changed.
    page.goto(link)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    assert "password" in mail_to(system, "clara@example.com", "Your password was changed")
