"""The shipping page, in Chromium: the seller adds a region for the EU with an economy and an
express service (plain form buttons, no script needed), and a shopper in Germany is offered
both in the cart, at the prices the seller typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import find_listing, list_item, open_shop, sign_up

pytestmark = pytest.mark.e2e


def test_an_express_service_for_the_eu_is_offered_to_a_shopper_in_germany(system, new_page):
    base = system.url("gateway")
    seller = new_page()
    shopper = new_page()

    open_shop(seller, base)
    seller.get_by_role("link", name="Shipping", exact=True).click()
    expect(seller.get_by_role("heading", name=re.compile("Shipping of"))).to_be_visible()
    seller.get_by_label("Covering").select_option("eu")
    seller.get_by_role("button", name="Add the region").click()
    region = seller.locator("fieldset.region").last
    expect(region.get_by_label("Covers", exact=True)).to_have_value("eu")
    region.get_by_label("Code", exact=True).fill("economy")
    region.get_by_label("First item", exact=True).fill("5")
    region.get_by_label("At least").fill("3")
    region.get_by_label("At most").fill("5")
    region.get_by_role("button", name="Add a service to this region").click()
    region = seller.locator("fieldset.region").last
    express = region.locator("tbody tr").nth(1)
    express.get_by_label("Code", exact=True).fill("express")
    express.get_by_label("Name", exact=True).fill("Express")
    express.get_by_label("First item", exact=True).fill("9.50")
    express.get_by_label("At least").fill("1")
    express.get_by_label("At most").fill("2")
    seller.get_by_role("button", name="Save shipping").click()
    expect(seller.get_by_text("Your shipping is saved.")).to_be_visible()
    expect(seller.locator("#shipping-preview")).to_contain_text(
        "European Union: Economy €5.00, 3–5 days; Express €9.50, 1–2 days"
    )
    seller.goto(f"{base}/sell/")
    list_item(seller, title="Cranford", author="Elizabeth Gaskell", price="8.00")

    sign_up(shopper, base, "mary@example.com", "Mary Smith")
    find_listing(shopper, base, query="cranford", title="Cranford")
    shopper.get_by_role("button", name="Add to cart").click()
    shopper.goto(f"{base}/cart?country=DE")
    express = shopper.get_by_role("radio", name=re.compile(r"Express: €9\.50 \(1–2 days\)"))
    expect(express).to_be_visible()
    express.check()
    shopper.get_by_role("button", name="Choose").click()
    expect(shopper.locator("td.shipping")).to_have_text(re.compile(r"9\.50"))
