"""The shopper's pages in Chromium: search with filters and instant results, a listing, the
comparison of offers, and one checkout across two shops paid with a test card.

Shops and listings are made through the shops API (as the seller portal would), so each test
spends its time on the shopper's side.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import ShopApi, fill_address, reload_until, sign_up

pytestmark = pytest.mark.e2e


def test_search_with_instant_results_and_filters(system, new_page):
    base = system.url("gateway")
    shop = ShopApi(system, "Hale's Books")
    shop.list("North and South", "Elizabeth Gaskell", 800)
    shop.list("Mary Barton", "Elizabeth Gaskell", 2400, condition="fine")
    page: Page = new_page()
    page.goto(f"{base}/search?q=gaskell")
    reload_until(page, "Mary Barton")

    # Typing in the header's box shows the top matches at once.
    page.goto(base)
    page.get_by_role("combobox", name="Search").press_sequentially("mary", delay=40)
    instant = page.get_by_role("listbox", name="Top matches")
    expect(instant.get_by_role("option", name=re.compile("Mary Barton"))).to_be_visible()
    page.get_by_role("combobox", name="Search").press("ArrowDown")
    page.get_by_role("combobox", name="Search").press("Enter")
    expect(page.get_by_role("heading", name="Mary Barton")).to_be_visible()

    # Without the dropdown the box is a plain search form; filters keep the query.
    page.get_by_role("combobox", name="Search").fill("gaskell")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("2 items")).to_be_visible()
    page.get_by_label("Highest price").fill("abc")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("Enter the highest price as a number")).to_be_visible()
    page.get_by_label("Highest price").fill("10")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_label("Highest price")).to_have_value("10")
    assert "q=gaskell" in page.url and "price_max=10" in page.url
    facet = page.get_by_role("navigation", name="Filter by condition")
    if facet.count():
        facet.get_by_role("link", name=re.compile("Good")).first.click()
        assert "condition=" in page.url and "q=gaskell" in page.url
    page.get_by_label("Sort by").select_option("price")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile("sort=price"))


def test_listing_shows_the_shop_and_the_comparison(system, new_page):
    base = system.url("gateway")
    near = ShopApi(system, "Near Books", "NL")
    far = ShopApi(system, "Far Books", "US")
    near.list(
        "Cranford",
        "Elizabeth Gaskell",
        1000,
        isbn="9780199539475",
        description="Foxing on the first pages.",
    )
    far.list("Cranford", "Elizabeth Gaskell", 500, isbn="9780199539475")
    page: Page = new_page()
    page.goto(f"{base}/search?q=cranford")
    reload_until(page, re.compile("2 items"))
    page.get_by_role("link", name="Cranford").first.click()
    expect(page.get_by_role("heading", name=re.compile(r"About (Near|Far) Books"))).to_be_visible()
    expect(page.get_by_role("button", name="Add to cart")).to_be_visible()

    compare = page.get_by_role("link", name="Compare every shop's offer")
    if not compare.count():
        pytest.skip("the catalog has no works yet: no comparison to open")
    compare.click()
    page.get_by_label("Ship to").select_option("NL")
    # The page's script submits the choice once bound; the button does not wait for it.
    page.get_by_role("button", name="Update", exact=True).click()
    rows = page.locator("#offers tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Near Books")  # 10 + 3 beats 5 + 9
    page.get_by_role("link", name="See Far Books's copy").click()
    expect(page.get_by_role("heading", name="About Far Books")).to_be_visible()


def test_checkout_across_two_shops_with_a_test_card(system, new_page):
    base = system.url("gateway")
    hale = ShopApi(system, "Hale's Books")
    kofi = ShopApi(system, "Kofi's Corner")
    hale.list("North and South", "Elizabeth Gaskell", 1450)
    kofi.list("Cranford", "Elizabeth Gaskell", 700)
    shopper: Page = new_page()
    sign_up(shopper, base, "rosa@example.com", "Rosa Dartle")
    shopper.goto(f"{base}/search?q=gaskell")
    reload_until(shopper, re.compile("2 items"))
    for title in ("North and South", "Cranford"):
        shopper.goto(f"{base}/search?q=gaskell")
        shopper.get_by_role("link", name=title).first.click()
        shopper.get_by_role("button", name="Add to cart").click()

    shopper.get_by_label("Ship to").select_option("NL")
    # The page's script submits the choice; under load it may not be bound yet, and the
    # button is what a browser without scripts uses anyway.
    shopper.get_by_role("button", name="Update shipping").click()
    expect(shopper.locator("#cart-total")).to_have_text("€27.50")
    shopper.get_by_role("link", name="Checkout").click()
    expect(shopper.get_by_text("4000 0000 0000 0341")).to_be_visible()
    fill_address(
        shopper,
        name="Rosa Dartle",
        street="Prinsengracht 12",
        city="Amsterdam",
        postal_code="1015 DK",
    )
    expect(shopper.get_by_label("Country")).to_have_value("NL")
    shopper.get_by_label("Card number").fill("4000 0000 0000 0002")
    shopper.get_by_role("button", name="Place order").click()
    expect(shopper.locator("#card_number-error")).to_contain_text(
        "was declined by its bank: nothing was charged and nothing was ordered. Try another card."
    )
    shopper.get_by_label("Card number").fill("4242 4242 4242 4242")
    shopper.get_by_role("button", name="Place order").click()

    expect(shopper.get_by_role("heading", name="Your order")).to_be_visible()
    expect(shopper.get_by_text("card ending 4242")).to_be_visible()
    expect(shopper.get_by_role("link", name="Cancel this part")).to_have_count(2)
    for shop, title in ((hale, "North and South"), (kofi, "Cranford")):
        parts = _wait(shop.orders)
        assert [[line["title"] for line in part["lines"]] for part in parts] == [[title]]

    # Cancelling asks first, and the shop may hear why.
    shopper.get_by_role("link", name="Cancel this part").first.click()
    expect(shopper.get_by_role("heading", name="Cancel your order from")).to_be_visible()
    shopper.get_by_role("link", name="No, keep it").click()
    expect(shopper.get_by_role("link", name="Cancel this part")).to_have_count(2)
    shopper.get_by_role("link", name="Cancel this part").first.click()
    shopper.get_by_label("Why are you cancelling?").fill("Found it in a shop nearby.")
    shopper.get_by_role("button", name="Yes, cancel this part").click()
    expect(shopper.get_by_text("Your request to cancel is sent to the shop.")).to_be_visible()
    expect(shopper.get_by_role("link", name="Cancel this part")).to_have_count(1)
    # The shop had not accepted it: the shop's side grants the request, the part follows.
    reload_until(shopper, "You cancelled this part")
    cancelled = _wait(
        lambda: [p for shop in (hale, kofi) for p in shop.orders() if p["status"] == "cancelled"]
    )
    assert cancelled[0]["cancel_reason"] == "Found it in a shop nearby."


def _wait(read):  # noqa: ANN001, ANN202
    from tests import support

    return support.wait_for(read)
