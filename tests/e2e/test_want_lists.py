"""Want lists in Chromium, against the real processes: a shopper saves a want, a seller's
uploaded file lists a matching copy, and the shopper is told and follows the link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import open_shop, reload_until, sign_up

pytestmark = pytest.mark.e2e

INVENTORY_FILE = (
    "sku,title,author,condition,description,price,quantity\n"
    'CR-1,Cranford,Elizabeth Gaskell,Fine,"First edition, 1853.",45.00,1\n'
    "RB-1,Ruth,Elizabeth Gaskell,Good,A reading copy.,6.00,1\n"
)


def test_a_want_is_matched_by_a_new_upload_and_the_shopper_sees_it(system, new_page):
    base = system.url("gateway")
    shopper = new_page()
    sign_up(shopper, base, "mary@example.com", "Mary Smith")
    shopper.goto(f"{base}/search?q=Cranford+Gaskell")
    expect(shopper.locator("#no-results")).to_be_visible()

    shopper.get_by_role("link", name="Tell me when this is listed").click()
    expect(shopper.get_by_label("Words to look for")).to_have_value("Cranford Gaskell")
    shopper.get_by_label("Condition at least").select_option("very_good")
    shopper.get_by_label("First edition only").check()
    shopper.get_by_role("button", name="Save want").click()
    expect(shopper.get_by_text("We will tell you here when a shop lists a copy")).to_be_visible()
    expect(shopper.locator("#saved-wants")).to_contain_text("Cranford Gaskell")

    seller = new_page()
    open_shop(seller, base)
    seller.get_by_role("link", name="Upload a file").click()
    seller.get_by_label("Inventory file").set_input_files(
        {"name": "stock.csv", "mimeType": "text/csv", "buffer": INVENTORY_FILE.encode()}
    )
    seller.get_by_role("button", name="Upload").click()
    expect(seller.locator("#upload-status")).to_have_text("Done")

    reload_until(shopper, re.compile(r"new match"))
    expect(shopper.locator("#wants-badge")).to_contain_text("1")
    shopper.locator("#wants-link").click()
    match = shopper.locator("#want-matches li")
    expect(match).to_have_count(1)
    expect(match).to_contain_text("Cranford")
    expect(match).to_contain_text("€45.00")
    expect(match).to_contain_text("Hale's Second-hand Books")
    expect(shopper.locator("#wants-badge")).to_have_count(0)

    match.get_by_role("link", name="Cranford").click()
    expect(shopper.get_by_role("heading", name="Cranford")).to_be_visible()
