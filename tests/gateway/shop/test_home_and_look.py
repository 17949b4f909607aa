"""The storefront's face: the operator's name, a home page of many shops, light pages."""

from __future__ import annotations

import re
from pathlib import Path

import gateway
from gateway.views.shop import shop_to_discover, spread_over_shops

STATIC = Path(gateway.__file__).parent / "static"
PAGE_BUDGET = 200 * 1024


def hits(*shops: str) -> list[dict]:
    return [{"listing_id": f"l{n}", "shop_id": shop} for n, shop in enumerate(shops)]


def test_spread_over_shops_keeps_at_most_two_of_one_shop_newest_first():
    newest = hits("a", "a", "a", "a", "b", "a", "c", "b", "b")

    kept = spread_over_shops(newest, per_shop=2, limit=5)

    assert [hit["listing_id"] for hit in kept] == ["l0", "l1", "l4", "l6", "l7"]


def test_shop_to_discover_is_one_of_the_shops_shown():
    assert shop_to_discover([]) is None
    assert shop_to_discover(hits("a", "b"))["shop_id"] in ("a", "b")


def test_site_name_is_the_operators(make_gateway):
    app = make_gateway(site_name="Les Bouquinistes")

    page = app.test_client().get("/login").get_data(as_text=True)

    assert (
        "<title>Log in · Les Bouquinistes</title>" in page or "· Les Bouquinistes</title>" in page
    )
    assert re.search(r'class="brand"[^>]*>Les Bouquinistes<', page)


def test_a_page_with_every_script_and_stylesheet_stays_under_200_kb(make_gateway):
    # Every stylesheet and script the site has, as if one page loaded them all, plus a page.
    app = make_gateway()
    html = app.test_client().get("/login").get_data()
    assets = sum(path.stat().st_size for path in STATIC.iterdir() if path.suffix in (".css", ".js"))

    assert len(html) + assets < PAGE_BUDGET
