"""The storefront on a phone (390 x 844): every page of the shopper's site and the seller
portal fits the screen, signed in and out, and passes axe-core's accessibility rules with no
serious or critical violation; the header folds into a menu that works without JavaScript.

axe-core is the npm package's `axe.min.js`, kept in tests/e2e/vendor/ (MPL-2.0, its licence
beside it), so the test needs no network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.steps import buy, find_listing, list_item, open_shop, sign_up

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
PHONE = {"width": 390, "height": 844}
# Addresses that are not pages: downloads, JSON for scripts, actions.
NOT_PAGES = re.compile(r"(\.csv$|\.json$|/progress$|/instant$|/static/|/logout$|favicon)")
# Ids in addresses, so /orders/<one id> and /orders/<another> count as one page.
AN_ID = re.compile(r"/[0-9a-f]{8}-[0-9a-f-]{27}|/[0-9a-f]{16,}|/\d+(?=/|$)")
PAGES_PER_PERSON = 60


def axe_problems(page: Page) -> list[str]:
    page.evaluate(AXE)
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.help} at ` +
                          v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
        }"""
    )
    return list(found)


def too_wide(page: Page) -> str | None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " [...document.querySelectorAll('body *')].filter(e =>"
        " e.getBoundingClientRect().right > window.innerWidth + 1 && e.parentElement"
        " .getBoundingClientRect().right <= window.innerWidth + 1)"
        " .slice(0, 3).map(e => e.tagName + '.' + e.className)]"
    )
    scroll, inner, culprits = widths
    return None if scroll <= inner else f"{scroll} px wide on a {inner} px screen: {culprits}"


def crawl(page: Page, base: str, starts: list[str]) -> Iterator[str]:
    """Every page reachable by the links of `starts`, one address per kind of page."""
    seen: set[str] = set()
    queue = [base + start for start in starts]
    while queue and len(seen) < PAGES_PER_PERSON:
        url = urldefrag(queue.pop(0)).url
        parts = urlsplit(url)
        kind = AN_ID.sub("/<id>", parts.path)
        if not url.startswith(base) or kind in seen or NOT_PAGES.search(parts.path):
            continue
        seen.add(kind)
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        yield url
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            if href.startswith(base):
                queue.append(href)


def phone(browser: Browser, state: dict | None = None, **options: object) -> BrowserContext:
    # bypass_csp: axe is evaluated in the page, which a strict policy would refuse.
    context = browser.new_context(viewport=PHONE, bypass_csp=True, storage_state=state, **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def people(system, browser: Browser):
    """A seller with a listing and a shopper with an order, both signed in on a desktop."""
    base = system.url("gateway")
    contexts = [browser.new_context() for _ in range(2)]
    seller, shopper = (context.new_page() for context in contexts)
    open_shop(seller, base)
    list_item(seller, title="North and South", price="14.50", quantity=3)
    sign_up(shopper, base, "rosa@example.com", "Rosa Dartle")
    listing_url = find_listing(shopper, base, query="north", title="North and South")
    order_url = buy(shopper, base, listing_url)
    states = {"seller": contexts[0].storage_state(), "shopper": contexts[1].storage_state()}
    yield base, states, listing_url, order_url
    for context in contexts:
        context.close()


@pytest.mark.parametrize("system", ["sqlite"], indirect=True)
def test_every_page_fits_a_phone_and_passes_axe(people, browser: Browser):
    base, states, listing_url, order_url = people
    starts = {
        "signed out": (None, ["/", "/search?q=north", listing_url[len(base) :], "/signup"]),
        "shopper": (states["shopper"], ["/", order_url[len(base) :], "/search?q=north"]),
        "seller": (states["seller"], ["/sell/"]),
    }
    problems: list[str] = []
    for who, (state, first) in starts.items():
        context = phone(browser, state)
        page = context.new_page()
        visited = 0
        for url in crawl(page, base, first):
            visited += 1
            if wide := too_wide(page):
                problems.append(f"{who} {url}: {wide}")
            problems.extend(f"{who} {url}: {found}" for found in axe_problems(page))
        context.close()
        assert visited >= 5, f"only {visited} pages found {who}"
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("system", ["sqlite"], indirect=True)
def test_the_phone_header_is_a_menu_that_works_without_javascript(people, browser: Browser):
    base, states, _, _ = people
    context = phone(browser, states["shopper"], java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/")

    # The keyboard's first stop skips the header, and where focus is always shows.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focused = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none"

    page.goto(base + "/")
    log_out = page.get_by_role("button", name="Log out")
    expect(log_out).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(log_out).to_be_visible()
    expect(page.get_by_role("link", name="Notifications")).to_be_in_viewport()
    box = log_out.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    context.close()
