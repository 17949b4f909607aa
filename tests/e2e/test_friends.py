"""Friends in Chromium: one shopper follows another, who accepts; the second buys from a
shop, and the follower sees "Bought from by 1 person you follow" on that shop's listing
card, then follows the shop and finds its listing among their favourites."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import support
from tests.e2e.steps import ShopApi, fill_address, reload_until, sign_up

pytestmark = pytest.mark.e2e


def test_a_follower_sees_where_a_friend_bought(system, new_page):
    base = system.url("gateway")
    hale = ShopApi(system, "Hale's Books")
    hale.list("North and South", "Elizabeth Gaskell", 1450)
    ann: Page = new_page()
    ben: Page = new_page()
    sign_up(ann, base, "ann@example.com", "Ann Reader")
    sign_up(ben, base, "ben@example.com", "Ben Buyer")

    # Ann asks to follow Ben by his address; Ben accepts.
    ann.get_by_role("link", name="People").click()
    ann.get_by_label("E-mail address").fill("ben@example.com")
    ann.get_by_role("button", name="Ask to follow").click()
    expect(ann.get_by_text("Request sent.")).to_be_visible()
    ben.goto(base)
    expect(
        ben.get_by_role("link", name=re.compile(r"People\W+1 follow request waiting"))
    ).to_be_visible()
    ben.get_by_role("link", name=re.compile("People")).click()
    expect(ben.get_by_text("Ann Reader (ann@example.com) asks to follow you")).to_be_visible()
    ben.get_by_role("button", name="Accept Ann Reader").click()
    expect(ben.get_by_text("You accepted the request.")).to_be_visible()

    # Ben buys from Hale's Books, which accepts the order.
    ben.goto(f"{base}/search?q=gaskell")
    reload_until(ben, "North and South")
    ben.get_by_role("link", name="North and South").first.click()
    ben.get_by_role("button", name="Add to cart").click()
    ben.get_by_label("Ship to").select_option("NL")
    ben.get_by_role("button", name="Update shipping").click()
    ben.get_by_role("link", name="Checkout").click()
    fill_address(
        ben, name="Ben Buyer", street="Keizersgracht 1", city="Amsterdam", postal_code="1015 CJ"
    )
    ben.get_by_label("Card number").fill("4242 4242 4242 4242")
    ben.get_by_role("button", name="Place order").click()
    expect(ben.get_by_role("heading", name="Your order")).to_be_visible()
    [part] = support.wait_for(hale.orders)
    hale._send("POST", f"/shops/{hale.shop['id']}/orders/{part['id']}/accept")

    # Ann sees it on the shop's card, and Ben's name on the listing.
    ann.goto(f"{base}/search?q=gaskell")
    reload_until(ann, "Bought from by 1 person you follow")
    ann.get_by_role("link", name="North and South").first.click()
    expect(ann.locator("#followed-buyers")).to_contain_text("Ben Buyer")

    # Ann follows the shop and finds the listing among her favourites.
    ann.get_by_role("button", name="Follow this shop").click()
    expect(ann.get_by_role("button", name="Unfollow Hale's Books")).to_be_visible()
    ann.get_by_role("link", name="Favourites").click()
    expect(ann.get_by_role("heading", name="Favourite shops")).to_be_visible()
    expect(ann.locator("#favourite-listings")).to_contain_text("North and South")
