"""One real purchase through every part of the storefront, in Chromium.

A seller opens a shop and lists a book; the shopper finds it in search, buys it with a
delivery address; the shop's worker is down when the order is placed (the order waits in
RabbitMQ, nothing is lost); the seller sees the address on the order and its packing slip,
accepts and ships it with a personal note; the shopper reads the signed note.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import fill_checkout, list_item, open_shop, reload_until, sign_up

pytestmark = pytest.mark.e2e


def test_a_purchase_from_listing_to_signed_note(system, new_page):
    base = system.url("gateway")
    seller = new_page()
    shopper = new_page()

    # The seller opens a shop and lists a book.
    open_shop(seller, base)
    list_item(seller, title="North and South", author="Elizabeth Gaskell", price="14.50")

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
    fill_checkout(shopper)
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
    # It shows where the parcel goes, on the page and on the packing slip, the British way.
    expect(seller.locator("#ship-to")).to_contain_text("12 Milton Street")
    seller.get_by_role("link", name="Packing slip").click()
    for line in ("Rosa Dartle", "12 Milton Street", "MANCHESTER", "M1 1AE", "UNITED KINGDOM"):
        expect(seller.locator("#slip-buyer")).to_contain_text(line)
    seller.go_back()
    seller.get_by_role("button", name="Accept order").click()
    reload_until(seller, "Payment confirmed: ready to ship")
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
