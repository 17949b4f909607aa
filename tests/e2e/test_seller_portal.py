"""The seller portal in Chromium, against the real processes: list and edit an item, upload
an inventory file and watch it being applied, change the shop's settings."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import open_shop

pytestmark = pytest.mark.e2e

INVENTORY_FILE = (
    "sku,title,author,price,quantity,shelf\n"
    "HB-1,Cranford,Elizabeth Gaskell,7.50,1,A1\n"
    "HB-2,Wives and Daughters,Elizabeth Gaskell,free,1,A1\n"
    "HB-3,Sylvia's Lovers,Elizabeth Gaskell,9,2,A2\n"
)


def test_seller_lists_an_item_then_edits_it(system, new_page):
    base = system.url("gateway")
    seller = new_page()
    open_shop(seller, base)

    seller.get_by_role("link", name="List an item").click()
    seller.get_by_label("Title").fill("North and South")
    seller.get_by_label("Author").fill("Elizabeth Gaskell")
    seller.get_by_label("ISBN").fill("978-0-14-043424-8")
    seller.get_by_label("SKU").fill("NS-1")
    seller.get_by_label("Year").fill("1855")
    seller.get_by_label("Condition", exact=True).select_option("fine")
    seller.get_by_label("Condition notes").fill("Spine slightly faded.")
    seller.get_by_label("Price").fill("14.50")
    seller.get_by_label("Quantity").fill("1")
    seller.get_by_role("button", name="List item").click()

    row = seller.get_by_role("row", name=re.compile("North and South"))
    expect(row).to_contain_text("€14.50")
    expect(row).to_contain_text("NS-1")
    row.get_by_role("link", name="Edit").click()
    expect(seller.get_by_label("ISBN")).to_have_value("9780140434248")
    seller.get_by_label("Price").fill("-2")
    seller.get_by_role("button", name="Save listing").click()
    expect(seller.get_by_text("The price must be more than zero.")).to_be_visible()
    seller.get_by_label("Price").fill("12")
    seller.get_by_role("button", name="Save listing").click()
    expect(seller.get_by_role("row", name=re.compile("North and South"))).to_contain_text("€12.00")


def test_seller_uploads_a_file_and_watches_it_reach_100_percent(system, new_page):
    base = system.url("gateway")
    seller = new_page()
    open_shop(seller, base)

    seller.get_by_role("link", name="Upload a file").click()
    seller.get_by_label("Inventory file").set_input_files(
        {"name": "stock.csv", "mimeType": "text/csv", "buffer": INVENTORY_FILE.encode()}
    )
    seller.get_by_role("button", name="Upload").click()

    expect(seller.locator("#upload-progress")).to_have_attribute("value", "100")
    expect(seller.locator("#upload-rows")).to_have_text("3 of 3 rows")
    expect(seller.locator("#upload-status")).to_have_text("Done")
    report = seller.locator("#upload-error-report")
    expect(report.get_by_role("row", name=re.compile("price"))).to_contain_text("3")
    expect(seller.locator("#unknown-columns")).to_contain_text("shelf")

    seller.get_by_role("link", name="See your listings").click()
    expect(seller.get_by_role("cell", name="Cranford")).to_be_visible()
    expect(seller.get_by_role("cell", name="Sylvia's Lovers")).to_be_visible()
    expect(seller.locator("#inventory-total")).to_have_text("2 listings")


def test_seller_changes_settings(system, new_page):
    base = system.url("gateway")
    seller = new_page()
    open_shop(seller, base)

    seller.get_by_role("link", name="Settings").click()
    seller.get_by_label("Shop name").fill("")
    seller.get_by_role("button", name="Save settings").click()
    expect(seller.get_by_text("Give your shop a name.")).to_be_visible()

    seller.get_by_label("Shop name").fill("Hale's Books of Milton")
    seller.get_by_label("About the shop").fill("Novels, sermons and mill histories.")
    seller.get_by_label("Domestic, first item").fill("3.95")
    seller.get_by_label("International, first item").fill("11")
    seller.get_by_label("Accept every order automatically").check()
    seller.get_by_label("Hours to answer an order").fill("24")
    seller.get_by_label(re.compile("On vacation")).check()
    seller.get_by_role("button", name="Save settings").click()

    expect(seller.get_by_text("Your shop's settings are saved.")).to_be_visible()
    expect(seller.get_by_label("Shop name")).to_have_value("Hale's Books of Milton")
    expect(seller.get_by_label("Domestic, first item")).to_have_value("3.95")
    expect(seller.get_by_label("International, first item")).to_have_value("11.00")
    expect(seller.get_by_label("Accept every order automatically")).to_be_checked()
    expect(seller.get_by_label(re.compile("On vacation"))).to_be_checked()
    seller.get_by_role("link", name="Dashboard").click()
    expect(seller.get_by_role("heading", name="Hale's Books of Milton")).to_be_visible()
