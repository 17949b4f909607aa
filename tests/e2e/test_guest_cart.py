"""A shopper fills a cart before having an account; signing up keeps it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import ShopApi, fill_address, reload_until, sign_up

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("system", ["sqlite"], indirect=True)
def test_signed_out_cart_from_two_shops_is_kept_on_sign_up(system, new_page):
    base = system.url("gateway")
    ShopApi(system, "Hale's Books").list("North and South", "Elizabeth Gaskell", 1450)
    ShopApi(system, "Kofi's Corner").list("Cranford", "Elizabeth Gaskell", 700)
    shopper: Page = new_page()
    shopper.goto(f"{base}/search?q=gaskell")
    reload_until(shopper, re.compile("2 items"))

    for title in ("North and South", "Cranford"):
        shopper.goto(f"{base}/search?q=gaskell")
        shopper.get_by_role("link", name=title).first.click()
        shopper.get_by_role("button", name="Add to cart").click()
        expect(shopper.get_by_role("heading", name="Your cart")).to_be_visible()
    expect(shopper.get_by_role("heading", name="From Hale's Books")).to_be_visible()
    expect(shopper.get_by_role("heading", name="From Kofi's Corner")).to_be_visible()

    sign_up(shopper, base, "rosa@example.com", "Rosa Dartle")
    shopper.goto(f"{base}/cart")

    expect(shopper.get_by_role("link", name="North and South")).to_be_visible()
    expect(shopper.get_by_role("link", name="Cranford")).to_be_visible()
    expect(shopper.get_by_role("link", name="Checkout")).to_be_visible()


@pytest.mark.parametrize("system", ["sqlite"], indirect=True)
def test_a_guest_checks_out_and_opens_the_order_from_its_link(system, new_page):
    base = system.url("gateway")
    ShopApi(system, "Hale's Books").list("North and South", "Elizabeth Gaskell", 1450)
    guest: Page = new_page()
    guest.goto(f"{base}/search?q=gaskell")
    reload_until(guest, re.compile("1 item"))
    guest.get_by_role("link", name="North and South").first.click()
    guest.get_by_role("button", name="Add to cart").click()

    guest.get_by_label("Ship to").select_option("GB")
    guest.get_by_role("button", name="Update shipping").click()
    expect(guest.locator("#cart-total")).to_have_text("€23.50")
    guest.get_by_role("link", name="check out as a guest").click()
    guest.get_by_label("Email").fill("rosa@example.com")
    fill_address(
        guest,
        name="Rosa Dartle",
        street="12 Milton Street",
        city="Manchester",
        postal_code="M1 1AE",
    )
    expect(guest.get_by_label("Country")).to_have_value("GB")
    guest.get_by_label("Card number").fill("4242 4242 4242 4242")
    guest.get_by_role("button", name="Place order").click()
    expect(guest).to_have_url(re.compile("/orders/by-link/"))
    link = guest.locator("#order-link a").get_attribute("href")

    # From another browser, with nothing but the link.
    other: Page = new_page()
    other.goto(link)
    expect(other.get_by_role("heading", name="Your order")).to_be_visible()
    expect(other.get_by_text("North and South")).to_be_visible()
    expect(other.get_by_text("to Rosa Dartle")).to_be_visible()
