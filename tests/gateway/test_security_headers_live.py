"""Security headers on every page of the shopper site, the seller portal and /admin/.

A seller, a buyer, a passer-by and the platform's operator walk the whole site from its
start pages, following every link, and every GET page of the gateway must have been
reached by one of them. Each answer
carries the policy (scripts from our own files only, no framing), nosniff (CSV downloads
included) and a referrer policy; a signed-in person's pages are never cached; no page
holds an inline script or an inline event handler, nor uses an id twice (a label, a skip
link or an error message would point at the wrong element).
"""

from __future__ import annotations

import re
from collections import Counter, deque

import requests
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

from tests import support
from tests.gateway.helpers import log_in, post_form, sign_up, text
from tests.gateway.sell.conftest import open_shop
from tests.gateway.sell.helpers import buy
from tests.gateway.shop.test_address_pages import HOME
from tests.gateway.test_admin_access import an_operator
from tests.gateway.test_page_basics import duplicate_ids
from tests.shops.photo_files import png

LINK = re.compile(r'(?:href|action)="(/[^"#]*)"')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
# Not pages: health probes, metrics, files, and JSON for the pages' own scripts.
NOT_PAGES = {"static", "shop.favicon", "healthz", "readyz", "metrics"}
PER_ENDPOINT = 3
# Files the same for everyone, cached even for a signed-in person.
PUBLIC_FILES = {"photos.photo_file"}


def _endpoint(app: Flask, path: str) -> str | None:
    try:
        endpoint, _args = app.url_map.bind("localhost").match(path.split("?")[0], method="GET")
    except HTTPException:
        return None
    return endpoint


def walk(app: Flask, client: FlaskClient, seeds: list[str], *, signed_in: bool) -> set[str]:
    """Visit every page reachable from `seeds`; check each answer; return the endpoints."""
    seen_urls: set[str] = set()
    per_endpoint: Counter[str] = Counter()
    queue = deque(seeds)
    while queue:
        url = queue.popleft()
        endpoint = _endpoint(app, url)
        if url in seen_urls or endpoint is None or endpoint in NOT_PAGES:
            continue
        if per_endpoint[endpoint] >= PER_ENDPOINT:
            continue
        seen_urls.add(url)
        per_endpoint[endpoint] += 1
        response = client.get(url)
        check_headers(url, response, signed_in=signed_in and endpoint not in PUBLIC_FILES)
        if endpoint in PUBLIC_FILES:
            assert "immutable" in response.headers.get("Cache-Control", ""), url
        if response.mimetype == "text/html":
            body = text(response)
            assert not INLINE_SCRIPT.search(body), f"inline script on {url}"
            assert not INLINE_HANDLER.search(body), f"inline event handler on {url}"
            assert duplicate_ids(body) == [], f"an id used twice on {url}"
            queue.extend(link.replace("&amp;", "&") for link in LINK.findall(body))
        if response.status_code in (301, 302, 303) and response.location.startswith("/"):
            queue.append(response.location)
    return set(per_endpoint)


def check_headers(url: str, response, *, signed_in: bool) -> None:  # noqa: ANN001
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    assert "frame-ancestors 'none'" in policy, url
    assert "object-src 'none'" in policy, url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("X-Frame-Options") == "DENY", url
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer"), url
    if signed_in:
        assert "no-store" in headers.get("Cache-Control", ""), url


def test_every_page_carries_the_security_headers(live_gateway, services):
    app = live_gateway
    seller = open_shop(app, services, "mara@example.org", "Mara's Books", "Mara")
    listing = seller.add_listing(
        title="Orlando", photos=["https://img.example/orlando.jpg"], isbn="9780141184272"
    )
    upload = requests.post(
        f"{services.shops_url}/shops/{seller.shop['id']}/uploads?filename=stock.csv",
        data=b"sku,title,price,quantity\nU-1,Cranford,7.00,1\n",
        headers=seller._headers(),
        timeout=5,
    )
    assert upload.status_code == 202, upload.text
    job_id = upload.json()["id"]
    # A webhook receiver, so the portal links to its deliveries page.
    hooked = requests.post(
        f"{services.shops_url}/shops/{seller.shop['id']}/webhooks",
        json={"url": "https://93.184.215.14/hooks", "events": ["order.paid"]},
        headers=seller._headers(),
        timeout=5,
    )
    assert hooked.status_code == 201, hooked.text
    photo = requests.post(
        f"{services.shops_url}/shops/{seller.shop['id']}/listings/{listing['id']}/photos",
        files={"photos": ("cover.png", png(), "image/png")},
        headers=seller._headers(),
        timeout=10,
    )
    assert photo.status_code == 201, photo.text
    order_url = buy(app, listing["id"])
    buyer = app.test_client()
    sign_up(buyer, email="cat@example.org", display_name="Cat Reader")
    support.wait_for(lambda: buyer.get(f"/listings/{listing['id']}").status_code == 200)
    asked = post_form(
        buyer, f"/listings/{listing['id']}/ask", {"ask-text": "Is it signed?"}, page="/"
    )
    assert asked.status_code == 302, text(asked)
    post_form(buyer, "/wants", {"words": "orlando"}, page="/wants")
    saved = post_form(buyer, "/account/addresses/new", HOME, page="/account/addresses")
    assert saved.status_code == 302, text(saved)
    ben = app.test_client()
    log_in(ben, email="ben@example.org")
    support.wait_for(lambda: "Ben Buyer" in text(seller.client.get("/sell/")))

    anonymous = walk(
        app,
        app.test_client(),
        [
            "/",
            "/search?q=orlando",
            "/login",
            "/signup",
            # Pages reached from a mail: a link whose token is not (or no longer) valid.
            "/signup/check-mail",
            "/account/verify/no-such-token",
            "/password/reset/no-such-token",
            "/unsubscribe/no-such-token",
            # A guest's checkout (an empty cart sends them back) and an order link not valid.
            "/checkout/guest",
            "/orders/by-link/no-such-token",
        ],
        signed_in=False,
    )
    shopper = walk(
        app,
        buyer,
        [
            "/",
            "/search?q=orlando",
            "/search/instant?q=orl",
            "/cart",
            "/checkout",
            "/messages",
            "/notifications",
            "/wants",
            "/wants/matches",
            "/people",
            "/favourites",
            "/orders",
        ],
        signed_in=True,
    )
    # A problem report's page for a part Ben does not have: refused, with the headers too.
    shopper |= walk(
        app, ben, ["/orders", order_url, f"{order_url}/parts/no-such-part/problem"], signed_in=True
    )
    portal = walk(
        app,
        seller.client,
        ["/sell/", "/sell/shops/new", f"/sell/uploads/{job_id}/progress"],
        signed_in=True,
    )
    operator = walk(
        app, an_operator(app), ["/admin/", "/admin/disputes/no-such-case"], signed_in=True
    )

    pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in NOT_PAGES
    }
    missed = pages - anonymous - shopper - portal - operator
    assert not missed, f"pages no walk reached: {sorted(missed)}"
