"""The shop's customer book in Chromium: a shopper orders twice; between the orders the
seller writes a private note on the customer's page; the second order says "returning"
and shows the note."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    buy,
    find_listing,
    list_item,
    open_order_in_portal,
    open_shop,
    reload_until,
    sign_up,
)

pytestmark = pytest.mark.e2e

NOTE = "Collects first editions. No plastic wrapping, please."


def test_a_returning_customer_and_the_shops_private_note(system, new_page):
    base = system.url("gateway")
    seller = new_page()
    shopper = new_page()

    open_shop(seller, base)
    list_item(
        seller, title="North and South", author="Elizabeth Gaskell", price="14.50", quantity=2
    )

    sign_up(shopper, base, "rosa@example.com", "Rosa Dartle")
    listing_url = find_listing(shopper, base, query="gaskell", title="North and South")
    buy(shopper, base, listing_url)

    # The first order: the seller meets a new customer and notes what she likes.
    open_order_in_portal(seller, base, customer="Rosa Dartle")
    expect(seller.locator("#order-customer")).to_contain_text("First order from Rosa Dartle.")
    seller.get_by_role("link", name="Rosa Dartle in your customers").click()
    seller.get_by_label("Private notes").fill(NOTE)
    seller.get_by_label("Tags", exact=True).fill("first editions, no plastic")
    seller.get_by_role("button", name="Save").click()
    expect(seller.get_by_text("Your notes on Rosa Dartle are saved.")).to_be_visible()
    expect(seller.get_by_label("Private notes")).to_have_value(NOTE)

    # The second order: the order page says she is back, with the note.
    buy(shopper, base, listing_url)
    reload_until(seller, re.compile("2 orders with"))
    seller.locator("#customer-orders tbody tr").first.get_by_role("link").click()
    summary = seller.locator("#order-customer")
    expect(summary).to_contain_text("Returning customer: 2nd order with you.")
    expect(summary).to_contain_text(NOTE)
    expect(summary.get_by_text("first editions", exact=True)).to_be_visible()

    # The list of customers has her, with her tags, and she sees none of it.
    seller.get_by_role("link", name="Customers", exact=True).click()
    row = seller.get_by_role("row", name=re.compile("Rosa Dartle"))
    expect(row).to_contain_text("2")
    expect(row).to_contain_text("no plastic")
    shopper.goto(f"{base}/orders")
    expect(shopper.get_by_text(NOTE)).to_have_count(0)
