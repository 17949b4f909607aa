"""Photos in Chromium, against the real processes: a seller adds three photos, orders them
and chooses the cover; a shopper sees the cover in search results and the gallery."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import list_item, open_shop, reload_until
from tests.shops.photo_files import png

pytestmark = pytest.mark.e2e


def photo_keys(page) -> list[str]:
    return page.locator(".photo-item").evaluate_all("items => items.map(i => i.dataset.key)")


def test_seller_adds_orders_and_covers_photos_and_the_shopper_sees_them(system, new_page):
    base = system.url("gateway")
    seller = new_page()
    open_shop(seller, base)
    list_item(seller, title="Cranford", author="Elizabeth Gaskell", price="7.50")

    row = seller.get_by_role("row", name=re.compile("Cranford"))
    row.get_by_role("link", name="Photos").click()
    seller.get_by_label("Add photos").set_input_files(
        [
            {
                "name": f"shelf-{n}.jpg",
                "mimeType": "image/jpeg",
                "buffer": png(colour=(n * 70, 30, 30)),
            }
            for n in (1, 2, 3)
        ]
    )
    seller.get_by_role("button", name="Add photos", exact=True).click()
    expect(seller.get_by_text("Added 3 photos")).to_be_visible()
    first, second, third = photo_keys(seller)

    seller.get_by_role("button", name="Move photo 1 later").click()
    expect(seller.locator(".photo-item").first).to_have_attribute("data-key", second)
    seller.locator(f'.photo-item[data-key="{third}"]').get_by_role(
        "button", name="Make cover"
    ).click()
    expect(seller.locator(".photo-item").first).to_have_attribute("data-key", third)
    assert photo_keys(seller) == [third, second, first]

    shopper = new_page()
    shopper.goto(f"{base}/search?q=cranford")
    reload_until(shopper, "Cranford")
    card = shopper.locator(".card", has_text="Cranford")
    # The cover arrives with the listing's next event: reload until the card shows it.
    for _ in range(30):
        if card.locator("img").count():
            break
        shopper.wait_for_timeout(500)
        shopper.reload()
    cover = card.locator("img").first
    expect(cover).to_have_attribute("src", re.compile(third))
    expect(cover).to_have_attribute("width", "300")
    assert cover.evaluate("img => img.complete && img.naturalWidth > 0")

    card.get_by_role("link", name="Cranford").click()
    gallery = shopper.locator("#gallery")
    slides = gallery.locator(".gallery-slide")
    expect(slides).to_have_count(3)
    expect(slides.nth(0)).to_be_visible()
    expect(slides.nth(1)).to_be_hidden()
    gallery.focus()
    shopper.keyboard.press("ArrowRight")
    expect(slides.nth(1)).to_be_visible()
    expect(slides.nth(0)).to_be_hidden()
    expect(slides.nth(1).locator("img")).to_have_attribute("src", re.compile(second))
    shopper.get_by_role("button", name="Previous photo").click()
    expect(slides.nth(0).locator("img")).to_have_attribute("src", re.compile(third))
