"""A review in Chromium: the buyer of a shipped order reviews the shop, the review shows on
the shop's page, the seller answers it from the portal, and the answer shows there too."""

from __future__ import annotations

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


def test_a_buyer_reviews_the_shop_and_the_seller_answers(system, new_page):
    base = system.url("gateway")
    seller = new_page()
    shopper = new_page()

    # A shop with two copies of one book; the shopper buys one, the seller ships it.
    open_shop(seller, base)
    list_item(seller, title="North and South", price="14.50", quantity=2)

    sign_up(shopper, base, "rosa@example.com", "Rosa Dartle")
    listing_url = find_listing(shopper, base, query="north", title="North and South")
    order_url = buy(shopper, base, listing_url)

    open_order_in_portal(seller, base, customer="Rosa Dartle")
    seller.get_by_role("button", name="Accept order").click()
    reload_until(seller, "Payment confirmed: ready to ship")
    seller.get_by_label("Note").fill("Dear Rosa, enjoy Milton. Warmly,")
    seller.get_by_role("button", name="Ship order").click()

    # Once the part has shipped, the order page asks for a review.
    shopper.goto(order_url)
    reload_until(shopper, "How was Hale's Second-hand Books?")
    shopper.get_by_label("4 stars").check()
    shopper.get_by_label("Your review").fill("Wrapped in brown paper <3, with a kind note.")
    shopper.get_by_role("button", name="Post review").click()
    expect(shopper.get_by_text("Thank you: your review is on the shop's page.")).to_be_visible()
    expect(shopper.get_by_text("Your review of Hale's Second-hand Books")).to_be_visible()

    # The shop's page, reached from the listing, shows the review and the reputation.
    shopper.goto(listing_url)
    shopper.locator("#sold-by").get_by_role("link").click()
    expect(shopper.get_by_role("heading", name="Hale's Second-hand Books")).to_be_visible()
    expect(shopper.get_by_text("Wrapped in brown paper <3, with a kind note.")).to_be_visible()
    expect(shopper.locator("#reputation-average")).to_have_text("4.0")
    expect(shopper.locator("#reputation-positive")).to_contain_text("100% positive")
    shop_url = shopper.url

    # The seller answers from the portal, once.
    seller.goto(f"{base}/sell/")
    seller.get_by_role("navigation", name="Seller portal").get_by_role(
        "link", name="Reviews"
    ).click()
    expect(seller.get_by_text("Wrapped in brown paper <3, with a kind note.")).to_be_visible()
    seller.get_by_label("Your public answer").fill("Thank you, Rosa! Come back soon.")
    seller.get_by_role("button", name="Publish answer").click()
    expect(seller.get_by_text("Your answer is published under the review.")).to_be_visible()
    expect(seller.get_by_role("button", name="Publish answer")).to_have_count(0)

    shopper.goto(shop_url)
    expect(shopper.get_by_text("Thank you, Rosa! Come back soon.")).to_be_visible()
    expect(shopper.get_by_text("Hale's Second-hand Books answered")).to_be_visible()
