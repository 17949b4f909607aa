"""Shops near the shopper, in Chromium: a shopper in Lyon sorts by distance and finds the
Lyon shop first, chooses to collect in person, and the shop marks the order ready to
collect, then collected. No street address reaches the shop for it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    SHOP_NAME,
    TEST_CARD,
    ShopApi,
    fill_address,
    list_item,
    open_shop,
    reload_until,
    sign_up,
)

pytestmark = pytest.mark.e2e


def test_a_shopper_in_lyon_collects_from_the_lyon_shop(system, new_page):
    base = system.url("gateway")
    seller = new_page()
    shopper = new_page()

    # A shop in Paris lists the book for less; the seller in Lyon offers collection.
    paris = ShopApi(system, "Librairie de Paris", "FR")
    paris._send("PATCH", f"/shops/{paris.shop['id']}", {"location": {"town": "Paris"}})
    paris.list("Les Misérables", "Victor Hugo", 900)
    open_shop(seller, base)
    seller.goto(f"{base}/sell/settings")
    seller.get_by_label("Country").select_option("FR")
    seller.get_by_label("Town").fill("Lyon")
    seller.get_by_label("Postal code").fill("69002")
    seller.get_by_label("Buyers may collect their order in person at the shop").check()
    seller.get_by_role("button", name="Save settings").click()
    expect(seller.get_by_text("Your shop's settings are saved.")).to_be_visible()
    seller.goto(f"{base}/sell/")
    list_item(seller, title="Les Misérables", author="Victor Hugo", price="12.00")

    # The shopper, in Lyon, sorts the shops nearest first.
    sign_up(shopper, base, "cosette@example.com", "Cosette Fauchelevent")
    shopper.goto(f"{base}/search?q=miserables&ship_to=FR")
    reload_until(shopper, re.compile("2 items"))
    shopper.get_by_label("Your town").fill("Lyon")
    shopper.get_by_label("Sort by").select_option("distance")
    shopper.get_by_role("button", name="Apply filters").click()
    shopper.wait_for_url(re.compile("sort=distance"))
    first = shopper.locator("ul.results > li").first
    expect(first).to_contain_text(SHOP_NAME)
    expect(first.locator(".distance")).to_have_text("in your town")
    second = shopper.locator("ul.results > li").nth(1)
    expect(second).to_contain_text("Librairie de Paris")
    expect(second.locator(".distance")).to_have_text(re.compile(r"3\d\d km away"))
    # The shop's page says how far it is.
    first.get_by_role("link", name=SHOP_NAME).click()
    expect(shopper.locator("#shop-distance")).to_have_text("in your town")
    # The town is remembered for the visit.
    shopper.goto(f"{base}/search?q=miserables&sort=distance")
    expect(shopper.get_by_label("Your town")).to_have_value("Lyon")

    # It goes in the cart, to be collected in person: no shipping to pay.
    first.get_by_role("link", name=re.compile("Les Misérables")).click()
    shopper.get_by_role("button", name="Add to cart").click()
    shopper.goto(f"{base}/cart?country=FR")
    shopper.get_by_label(re.compile("Collection in person")).check()
    shopper.get_by_role("button", name="Choose").click()
    expect(shopper.locator("td.shipping")).to_have_text(re.compile(r"0\.00"))
    shopper.get_by_role("link", name="Checkout").click()
    fill_address(
        shopper,
        name="Cosette Fauchelevent",
        street="12 rue Mercière",
        city="Lyon",
        postal_code="69002",
    )
    shopper.get_by_label("Country").select_option("FR")
    shopper.get_by_label("Card number").fill(TEST_CARD)
    shopper.get_by_role("button", name="Place order").click()
    expect(shopper.get_by_text("You collect this part in person")).to_be_visible()
    order_url = shopper.url

    # The shop accepts, and sees no street: the buyer comes to the shop.
    seller.goto(f"{base}/sell/")
    reload_until(seller, "Cosette Fauchelevent")
    seller.get_by_role("row", name=re.compile("Cosette Fauchelevent")).get_by_role(
        "link", name="Open order"
    ).click()
    expect(seller.locator("#order-delivery")).to_contain_text("Collection in person")
    expect(seller.get_by_text("rue Mercière")).to_have_count(0)
    seller.get_by_role("button", name="Accept order").click()
    reload_until(seller, "Payment confirmed: ready to hand over")
    seller.get_by_role("button", name="Ready to collect").click()
    expect(seller.get_by_text("Ready to collect since")).to_be_visible()

    shopper.goto(order_url)
    reload_until(shopper, "It is ready to collect.")

    seller.get_by_role("button", name="Collected").click()
    expect(seller.locator("#shipped-heading")).to_have_text("Collected")
    shopper.goto(order_url)
    reload_until(shopper, "Collected.")
    expect(shopper.get_by_text("Collected in person at the shop.")).to_be_visible()
    expect(shopper.get_by_text("Sent with")).to_have_count(0)
