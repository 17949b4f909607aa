"""The loop around a sale, through real mail: the shop hears of a new order by mail, finds
the address on the order and its packing slip, ships with a note; the shopper's "shipped"
mail holds that note. Every mail goes through the notifications service and SMTP to the
Procfile's mail catcher."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    buy,
    find_listing,
    link_in,
    list_item,
    mail_to,
    open_shop,
    sign_up,
)

pytestmark = pytest.mark.e2e


def test_the_seller_is_mailed_the_order_and_the_shopper_the_signed_note(system, new_page):  # noqa: ANN001
    base = system.url("gateway")
    seller = new_page()
    shopper = new_page()
    open_shop(seller, base)
    list_item(seller, title="Cranford", author="Elizabeth Gaskell", price="9.00")

    sign_up(shopper, base, "rosa@example.com", "Rosa Dartle")
    listing = find_listing(shopper, base, query="cranford", title="Cranford")
    buy(shopper, base, listing, title="Cranford")

    # The shopper's confirmation, and the seller's new order with the time to answer by.
    confirmation = mail_to(system, "rosa@example.com", "Your order is placed")
    assert "Cranford" in confirmation
    new_order = mail_to(system, "margaret@example.com", "New order for")
    assert "Rosa Dartle" in new_order and "Cranford" in new_order
    assert "answer" in new_order.lower()

    # The link in the mail opens the order in the portal, with the address.
    seller.goto(link_in(new_order, base + "/sell/orders"))
    expect(seller.locator("#ship-to")).to_contain_text("12 Milton Street")
    seller.get_by_role("link", name="Packing slip").click()
    expect(seller.locator("#slip-buyer")).to_contain_text("M1 1AE")
    seller.go_back()
    seller.get_by_role("button", name="Accept order").click()
    seller.get_by_label("Note").fill("Dear Rosa, Miss Matty sends her regards. Warmly,")
    seller.get_by_label("Tracking number").fill("RM987654321GB")
    seller.get_by_role("button", name="Ship order").click()

    shipped = mail_to(system, "rosa@example.com", "shipped your order")
    assert "Miss Matty sends her regards" in shipped
    assert "Margaret, at Hale's" in shipped
    assert "RM987654321GB" in shipped
    assert link_in(shipped, base + "/orders/")
