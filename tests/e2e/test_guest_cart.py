"""A shopper fills a cart before having an account; signing up keeps it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import ShopApi, reload_until, sign_up

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
