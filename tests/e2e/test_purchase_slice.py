"""One real purchase through every part of the storefront, in Chromium.

A seller opens a shop and lists a book; the shopper finds it in search, buys it; the shop's
worker is down when the order is placed (the order waits in RabbitMQ, nothing is lost);
the seller accepts and ships it with a personal note; the shopper reads the signed note.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"


def sign_up(page: Page, base: str, email: str, name: str) -> None:
    page.goto(f"{base}/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def reload_until(page: Page, text: str | re.Pattern, timeout: float = 30) -> None:
    """Events travel asynchronously: reload until the page shows `text`."""
    deadline = time.monotonic() + timeout
    while True:
        if page.get_by_text(text).count() > 0:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} did not appear on {page.url}")
        time.sleep(0.3)
        page.reload()


def test_a_purchase_from_listing_to_signed_note(system, new_page):
    base = system.url("gateway")
    seller = new_page()
    shopper = new_page()

    # The seller opens a shop and lists a book.
    sign_up(seller, base, "margaret@example.com", "Margaret Hale")
    seller.goto(f"{base}/sell/")
    seller.get_by_label("Shop name").fill("Hale's Second-hand Books")
    seller.get_by_label("Signature").fill("Margaret, at Hale's")
    seller.get_by_role("button", name="Open shop").click()
    seller.get_by_role("link", name="List an item").click()
    seller.get_by_label("Title").fill("North and South")
    seller.get_by_label("Author").fill("Elizabeth Gaskell")
    seller.get_by_label("Price").fill("14.50")
    seller.get_by_label("Quantity").fill("1")
    seller.get_by_role("button", name="List item").click()
    expect(seller.get_by_role("cell", name="North and South", exact=True)).to_be_visible()

    # The shopper finds it through the catalog, which learnt of it over RabbitMQ.
    sign_up(shopper, base, "rosa@example.com", "Rosa Dartle")
    shopper.goto(f"{base}/search?q=gaskel")
    reload_until(shopper, "North and South")
    shopper.get_by_role("link", name=re.compile("North and South")).first.click()
    shopper.get_by_role("button", name="Add to cart").click()
    shopper.goto(f"{base}/cart")
    expect(shopper.get_by_text("North and South")).to_be_visible()
    shopper.get_by_role("link", name="Checkout").click()

    # The shop's worker crashes before the order is placed: the order waits in its queue.
    system.kill("shops-worker")
    shopper.get_by_label("Name").fill("Rosa Dartle")
    shopper.get_by_label("Address").fill("12 Milton Street\nManchester")
    shopper.get_by_label("Country").select_option("GB")
    shopper.get_by_label("Card number").fill("4242 4242 4242 4242")
    shopper.get_by_role("button", name="Place order").click()
    expect(shopper.get_by_text("North and South")).to_be_visible()
    order_url = shopper.url

    seller.goto(f"{base}/sell/")
    expect(seller.get_by_text("Rosa Dartle")).to_have_count(0)
    system.start("shops-worker")

    # The seller sees the order, accepts it and ships it with a personal note.
    reload_until(seller, "Rosa Dartle")
    order_row = seller.get_by_role("row", name=re.compile("Rosa Dartle"))
    order_row.get_by_role("link", name="Open order").click()
    seller.get_by_role("button", name="Accept order").click()
    note = seller.get_by_label("Note")
    expect(note).to_have_value(re.compile("Margaret, at Hale's"))
    note.fill("Dear Rosa, I hope Margaret's Milton is kind to you. Warmly,")
    seller.get_by_label("Tracking number").fill("RM123456789GB")
    seller.get_by_role("button", name="Ship order").click()

    # The shopper reads the note, signed by the shop.
    shopper.goto(order_url)
    reload_until(shopper, "I hope Margaret's Milton is kind to you")
    expect(shopper.get_by_text("Margaret, at Hale's")).to_be_visible()
    expect(shopper.get_by_text("RM123456789GB")).to_be_visible()
