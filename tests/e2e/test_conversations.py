"""A question and its answer in Chromium, against the real processes: a shopper asks a shop
about a listing from its page; the seller sees it unread on the dashboard and in the
portal's messages, answers; the shopper sees the unread badge and reads the answer. The
texts carry HTML characters, which show as written."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import open_shop, reload_until, sign_up

pytestmark = pytest.mark.e2e

QUESTION = "Is the <b>spine</b> & jacket intact?"
ANSWER = "Yes <i>both</i> are fine & clean."


def test_a_question_on_a_listing_reaches_the_seller_and_the_answer_comes_back(system, new_page):
    base = system.url("gateway")
    seller = new_page()
    shopper = new_page()

    open_shop(seller, base)
    seller.get_by_role("link", name="List an item").click()
    seller.get_by_label("Title").fill("Cranford")
    seller.get_by_label("Author").fill("Elizabeth Gaskell")
    seller.get_by_label("Price").fill("9.50")
    seller.get_by_label("Quantity").fill("1")
    seller.get_by_role("button", name="List item").click()
    expect(seller.get_by_role("cell", name="Cranford", exact=True)).to_be_visible()

    # Signed out, the listing page offers a log-in link instead of the form.
    shopper.goto(f"{base}/search?q=cranford")
    reload_until(shopper, "Cranford")
    shopper.get_by_role("link", name=re.compile("Cranford")).first.click()
    listing_url = shopper.url
    ask = shopper.locator("#ask")
    expect(ask.get_by_role("heading")).to_have_text("Ask Hale's Second-hand Books a question")
    expect(ask.get_by_role("link", name="Log in")).to_be_visible()

    sign_up(shopper, base, "rosa@example.com", "Rosa Dartle")
    shopper.goto(listing_url)
    shopper.get_by_role("button", name="Send question").click()
    expect(shopper.get_by_text("Write a few words: a message cannot be empty.")).to_be_visible()
    shopper.get_by_label("Your question").fill(QUESTION)
    shopper.get_by_role("button", name="Send question").click()
    expect(
        shopper.get_by_text("Your question was sent to Hale's Second-hand Books.")
    ).to_be_visible()
    expect(shopper.locator(".message-text")).to_have_text(QUESTION)

    # The seller finds it unread on the dashboard and first in the portal's messages.
    seller.get_by_role("link", name="Dashboard").click()
    recent = seller.locator("#recent-messages")
    expect(recent.locator(".conversation.unread")).to_contain_text("Rosa Dartle")
    expect(recent).to_contain_text(QUESTION)
    expect(seller.locator("#portal-messages-unread")).to_have_text("(1)")
    seller.locator("#portal-messages-link").click()
    first = seller.locator("#shop-conversations .conversation").first
    expect(first).to_have_class(re.compile("unread"))
    first.get_by_role("link").click()
    expect(seller.locator(".message-text")).to_have_text(QUESTION)
    expect(seller.locator("#portal-messages-unread")).to_have_count(0)
    seller.get_by_label("Your answer").fill(ANSWER)
    seller.get_by_role("button", name="Send answer").click()
    expect(seller.get_by_text("Your answer was sent.")).to_be_visible()

    # The shopper's menu counts the answer; reading it clears the count.
    shopper.goto(f"{base}/")
    expect(shopper.locator("#messages-unread")).to_have_text("(1)")
    shopper.locator("#notifications-link").click()
    shopper.locator("#unread-conversations").get_by_role("link").first.click()
    expect(shopper.locator(".message-text").last).to_have_text(ANSWER)
    expect(shopper.get_by_text("Margaret Hale of Hale's Second-hand Books")).to_be_visible()
    expect(shopper.locator("#messages-unread")).to_have_count(0)
    # Shown as text, never as markup.
    expect(shopper.locator(".message-text b, .message-text i")).to_have_count(0)
