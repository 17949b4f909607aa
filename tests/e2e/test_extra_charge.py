"""An extra charge in Chromium: the seller asks for more for a heavy parcel instead of
accepting; the shopper accepts it on the order page; the seller then accepts the order; the
shopper sees the extra in the part's total and in what was paid to the shop."""

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


def test_seller_proposes_an_extra_charge_the_shopper_accepts_and_pays(system, new_page):
    base = system.url("gateway")
    seller = new_page()
    shopper = new_page()

    open_shop(seller, base)
    list_item(seller, title="North and South", author="Elizabeth Gaskell", price="14.50")

    sign_up(shopper, base, "rosa@example.com", "Rosa Dartle")
    listing_url = find_listing(shopper, base, query="gaskell", title="North and South")
    order_url = buy(shopper, base, listing_url)

    # Instead of accepting, the seller asks for EUR 4.50 more.
    open_order_in_portal(seller, base, customer="Rosa Dartle")
    seller.get_by_label("Extra amount").fill("4.50")
    seller.get_by_label("Reason", exact=True).last.fill("heavy parcel")
    seller.get_by_role("button", name="Propose extra charge").click()
    expect(seller.locator("#extra-charge-status")).to_contain_text("Waiting for the buyer")
    expect(seller.get_by_role("button", name="Accept order")).to_have_count(0)
    seller_order_url = seller.url

    # The shopper is asked, with the deadline, and accepts.
    shopper.goto(order_url)
    reload_until(shopper, "heavy parcel")
    expect(shopper.get_by_text("Answer by")).to_be_visible()
    shopper.get_by_role("button", name=re.compile(r"Accept €4\.50 more")).click()
    expect(shopper.get_by_text("Accepted: the extra is held on your card")).to_be_visible()
    expect(shopper.locator("[id^=part-total-]")).to_have_text("€19.00")  # 14.50 + 4.50

    # The seller can accept now; the extra is taken with the order.
    seller.goto(seller_order_url)
    reload_until(seller, "The buyer accepted")
    seller.get_by_role("button", name="Accept order").click()
    reload_until(seller, "Payment confirmed: ready to ship")
    expect(seller.get_by_role("button", name="Ship order")).to_be_visible()
    expect(seller.locator("#extra-charged")).to_have_text("€4.50")

    shopper.goto(order_url)
    reload_until(shopper, "Paid to the shop")
    expect(shopper.locator("[id^=captured-]")).to_have_text("€19.00")
    expect(shopper.get_by_text("you accepted it")).to_be_visible()
