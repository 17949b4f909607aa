"""After the sale, in Chromium against the real processes: a book that is not as described
goes back to the shop and is refunded; and a dispute the buyer takes to the platform is
decided by the operator at /admin/, refunding the buyer out of the shop's proceeds."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import (
    PASSWORD,
    buy,
    find_listing,
    list_item,
    open_order_in_portal,
    open_shop,
    reload_until,
    sign_up,
)
from tests.e2e.system import REPO

pytestmark = pytest.mark.e2e


def shipped_order(system, new_page) -> tuple[Page, Page, str, str]:  # noqa: ANN001
    """Margaret sells North and South (EUR 14.50) to Rosa, accepts and ships it.
    Returns the seller's and the shopper's pages and both sides' order addresses."""
    base = system.url("gateway")
    seller = new_page()
    shopper = new_page()
    open_shop(seller, base)
    list_item(seller, title="North and South", author="Elizabeth Gaskell", price="14.50")
    sign_up(shopper, base, "rosa@example.com", "Rosa Dartle")
    listing_url = find_listing(shopper, base, query="gaskell", title="North and South")
    order_url = buy(shopper, base, listing_url)

    open_order_in_portal(seller, base, customer="Rosa Dartle")
    seller.get_by_role("button", name="Accept order").click()
    reload_until(seller, "Payment confirmed: ready to ship")
    seller.get_by_label("Tracking number").fill("RM123456789GB")
    seller.get_by_role("button", name="Ship order").click()
    seller_order_url = seller.url
    shopper.goto(order_url)
    reload_until(shopper, "RM123456789GB")
    return seller, shopper, seller_order_url, order_url


def report_not_as_described(shopper: Page) -> None:
    shopper.get_by_role("link", name="Report a problem with this part").click()
    shopper.get_by_label("What went wrong?").select_option("not_as_described")
    shopper.get_by_label("Tell the shop about it").fill(
        "The listing said very good, but the spine is broken."
    )
    shopper.get_by_role("button", name=re.compile("Send to")).click()
    expect(shopper.get_by_text("Your report is sent")).to_be_visible()
    expect(shopper.locator("[id^=case-state-]")).to_have_text("Open")


def test_the_whole_return_path_ends_in_a_refund_the_buyer_sees(system, new_page):
    seller, shopper, seller_order_url, order_url = shipped_order(system, new_page)

    report_not_as_described(shopper)

    # The shop reads the report on the order and asks for the book back first.
    seller.goto(seller_order_url)
    reload_until(seller, "the spine is broken")
    seller.get_by_label("Send it back to").fill("Hale's, 3 Crampton Road, Milton")
    seller.get_by_role("button", name="Ask for the parcel back first").click()
    expect(seller.get_by_text("The buyer is asked to send the parcel back")).to_be_visible()

    # The buyer sends it back with tracking.
    shopper.goto(order_url)
    expect(shopper.locator("[id^=return-address-]")).to_contain_text("3 Crampton Road")
    shopper.get_by_label("Carrier").fill("Royal Mail")
    shopper.get_by_label("Tracking number").fill("RM987654321GB")
    shopper.get_by_role("button", name="I have sent it back").click()
    expect(shopper.locator("[id^=case-state-]")).to_have_text("Return sent")

    # The shop marks it received and refunds everything.
    seller.goto(seller_order_url)
    expect(seller.locator("#return-tracking")).to_contain_text("RM987654321GB")
    seller.get_by_role("button", name="Received: refund").click()
    expect(seller.get_by_text("Refunded: the buyer sees it")).to_be_visible()
    expect(seller.locator("#refundable")).to_have_text("€0.00")

    # The buyer sees the refund: the items and the shipping, and what was refunded in all.
    shopper.goto(order_url)
    expect(shopper.locator(".refund .refund-total")).to_have_text("€14.50")
    expect(shopper.locator("[id^=refunded-]")).to_have_text("€14.50")
    expect(shopper.locator("[id^=case-state-]")).to_have_text("Closed")


def create_operator(system, email: str) -> None:  # noqa: ANN001
    subprocess.run(
        [
            sys.executable,
            "-m",
            "services.common.manage",
            "gateway",
            "create-operator",
            email,
            "--name",
            "Olive Operator",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        text=True,
        cwd=REPO,
        env=system.env,
        check=True,
        capture_output=True,
    )


def test_an_escalated_dispute_is_decided_at_admin(system, new_page):
    base = system.url("gateway")
    seller, shopper, seller_order_url, order_url = shipped_order(system, new_page)
    report_not_as_described(shopper)

    # The shop offers EUR 2.00 back; the buyer is not satisfied and asks the platform.
    seller.goto(seller_order_url)
    reload_until(seller, "the spine is broken")
    seller.locator("[id$=-items]").first.fill("2.00")
    seller.get_by_role("button", name="Refund", exact=True).click()
    expect(seller.get_by_text("Refunded: the buyer sees it")).to_be_visible()
    shopper.goto(order_url)
    expect(shopper.locator("[id^=case-state-]")).to_have_text("Refunded")
    shopper.get_by_label("Why should the platform decide?").fill("EUR 2 for a broken spine?")
    shopper.get_by_role("button", name="Ask the platform to decide").click()
    expect(shopper.locator("[id^=case-state-]")).to_have_text("Escalated")

    # The operator, made from the command line, decides at /admin/.
    create_operator(system, "olive@platform.example")
    operator = new_page()
    operator.goto(f"{base}/login")
    operator.get_by_label("Email").fill("olive@platform.example")
    operator.get_by_label("Password").fill(PASSWORD)
    operator.get_by_role("button", name="Log in").click()
    operator.goto(f"{base}/admin/")
    expect(operator.locator("#open-disputes")).to_contain_text("1 dispute to decide")
    operator.goto(f"{base}/admin/disputes")
    operator.locator(".dispute-link").first.click()
    expect(operator.locator("#dispute-messages")).to_contain_text("the spine is broken")
    expect(operator.locator("#dispute-timeline")).to_contain_text("Shipped")
    operator.get_by_label("Refund the buyer from the shop's proceeds").check()
    operator.get_by_label("Reason (both sides read it)").fill(
        "The photos show a broken spine: the whole price goes back."
    )
    operator.get_by_role("button", name="Decide").click()
    expect(operator.locator("#decision")).to_contain_text("the whole price goes back")
    operator.goto(f"{base}/admin/audit")
    expect(operator.locator("#audit-log")).to_contain_text("dispute.refund")

    # Both sides read the decision; the buyer has everything back, the statement shows it.
    shopper.goto(order_url)
    expect(shopper.locator("[id^=decision-]")).to_contain_text("the whole price goes back")
    expect(shopper.locator("[id^=refunded-]")).to_have_text("€14.50")
    seller.goto(seller_order_url)
    expect(seller.get_by_text("the whole price goes back").first).to_be_visible()
    seller.goto(f"{base}/sell/statement")
    expect(seller.locator("#total-refunds-EUR")).to_have_text("€14.50")
    movements = seller.locator("#statement-movements")
    expect(movements.locator(".movement-refund")).to_have_count(2)  # EUR 2.00, then 12.50
    expect(movements.locator(".movement-commission_refund")).to_have_count(2)
