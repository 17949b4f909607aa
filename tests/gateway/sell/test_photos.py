"""A listing's photos in the portal, then on the shopper's pages: cover, gallery, files."""

from __future__ import annotations

import io
import re

from markupsafe import escape

from tests import support
from tests.gateway.helpers import log_in, post_form, sign_up, text
from tests.gateway.sell.helpers import ORDER_LINK, buy, submit
from tests.shops.photo_files import png


def photo_page(seller, listing_id: str) -> str:
    return f"/sell/listings/{listing_id}/photos"


def upload_three(seller, listing_id: str):
    files = [(io.BytesIO(png(colour=(n * 60, 20, 20))), f"photo-{n}.jpg") for n in (1, 2, 3)]
    return submit(
        seller.client,
        photo_page(seller, listing_id),
        {"photos": files},
        content_type="multipart/form-data",
    )


def test_seller_adds_three_photos_orders_them_and_the_shopper_sees_the_cover(seller, live_gateway):
    listing = seller.add_listing(title="Middlemarch", isbn="9780141439549")

    added = upload_three(seller, listing["id"])
    # Read now: the next form's page (for its CSRF token) would show the message instead.
    added_page = text(seller.client.get(added.headers["Location"]))
    [stored] = seller.stored_listings()
    first, second, third = (image["key"] for image in stored["images"])
    moved = submit(seller.client, photo_page(seller, listing["id"]) + "/arrange", {"down": first})
    covered = submit(
        seller.client,
        photo_page(seller, listing["id"]) + "/arrange",
        {"cover": third, f"alt-{third}": "The spine, gilt"},
    )

    assert added.status_code == 302
    assert "Added 3 photos" in added_page
    assert moved.status_code == covered.status_code == 302
    [stored] = seller.stored_listings()
    assert [image["key"] for image in stored["images"]] == [third, second, first]
    assert stored["images"][0]["alt"] == "The spine, gilt"

    shopper = live_gateway.test_client()
    support.wait_for(lambda: third in text(shopper.get("/search?q=middlemarch")))
    results = text(shopper.get("/search?q=middlemarch"))
    cover = re.search(r'<img src="(/photos/' + third + r'-thumb\.jpg)"[^>]*>', results)
    assert cover and 'width="300" height="200"' in cover.group(0)
    assert 'alt="The spine, gilt"' in cover.group(0)
    page = text(shopper.get(f"/listings/{listing['id']}"))
    slides = re.findall(r"/photos/([0-9a-f]{32})-medium\.jpg", page)
    assert slides == [third, second, first]
    served = shopper.get(cover.group(1))
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "immutable" in served.headers["Cache-Control"]
    # A signed-in person's pages are never cached, but a photo is the same for everyone.
    assert "immutable" in seller.client.get(cover.group(1)).headers["Cache-Control"]


def test_a_file_that_is_not_a_photo_is_refused_with_its_name(seller):
    listing = seller.add_listing(title="Middlemarch")

    response = submit(
        seller.client,
        photo_page(seller, listing["id"]),
        {"photos": [(io.BytesIO(b"name,price\n"), "stock.csv")]},
        content_type="multipart/form-data",
        follow_redirects=True,
    )

    assert "stock.csv: this file is not a picture we can read" in text(response)
    assert seller.stored_listings()[0]["images"] == []


def test_the_cover_shows_on_the_compare_cart_order_and_packing_slip_pages(seller, live_gateway):
    listing = seller.add_listing(title="Middlemarch", isbn="9780141439549", quantity=3)
    upload_three(seller, listing["id"])
    cover = seller.stored_listings()[0]["images"][0]["key"]
    shopper = live_gateway.test_client()
    support.wait_for(lambda: cover in text(shopper.get("/search?q=middlemarch")))
    work_id = re.search(r'href="/works/([^"?]+)', text(shopper.get(f"/listings/{listing['id']}")))

    order_page = buy(live_gateway, listing["id"])
    buyer_cart = live_gateway.test_client()
    sign_up(buyer_cart, email="cara@example.org", display_name="Cara")
    post_form(buyer_cart, f"/listings/{listing['id']}", {"quantity": "1"}, page="/")

    thumb = f"/photos/{cover}-thumb.jpg"
    assert work_id and thumb in text(shopper.get(f"/works/{work_id.group(1)}"))
    assert thumb in text(buyer_cart.get("/cart"))
    buyer = live_gateway.test_client()
    log_in(buyer, "ben@example.org")
    assert thumb in text(buyer.get(order_page))
    support.wait_for(lambda: ORDER_LINK.search(text(seller.client.get("/sell/"))))
    part = ORDER_LINK.search(text(seller.client.get("/sell/"))).group(1)
    assert thumb in text(seller.client.get(f"/sell/orders/{part}/slip"))


def test_the_owner_adds_a_logo_and_banner_and_the_shop_page_shows_them(seller, live_gateway):
    logo = submit(
        seller.client,
        "/sell/shop-images/logo",
        {"image": (io.BytesIO(png((300, 300))), "logo.png")},
        content_type="multipart/form-data",
    )
    banner = submit(
        seller.client,
        "/sell/shop-images/banner",
        {"image": (io.BytesIO(png((1800, 450))), "banner.png")},
        content_type="multipart/form-data",
    )

    assert logo.status_code == banner.status_code == 302
    stored = seller.stored_shop()
    assert stored["logo"] and stored["banner"]
    shopper = live_gateway.test_client()
    slug = seller.shop["slug"]
    support.wait_for(lambda: stored["banner"]["key"] in text(shopper.get(f"/shops/{slug}")))
    page = text(shopper.get(f"/shops/{slug}"))
    assert f"/photos/{stored['logo']['key']}-thumb.jpg" in page


def test_search_results_show_the_shops_logo_small_named_and_lazy(seller, live_gateway):
    logo = submit(
        seller.client,
        "/sell/shop-images/logo",
        {"image": (io.BytesIO(png((300, 300))), "logo.png")},
        content_type="multipart/form-data",
    )
    listing = seller.add_listing(title="Cranford", isbn="9780140434880")

    assert logo.status_code == 302
    key = seller.stored_shop()["logo"]["key"]
    shopper = live_gateway.test_client()
    # The catalog learns the logo from shop.updated and the listing from its own event.
    support.wait_for(lambda: key in text(shopper.get("/search?q=cranford")))
    results = text(shopper.get("/search?q=cranford"))
    card = re.search(
        r'<li class="card[^"]*" data-listing-id="' + listing["id"] + r'">.*?</li>', results, re.S
    )
    assert card, results
    shown = re.search(
        r'<picture class="photo shop-logo small">.*?<img src="/photos/' + key
        + r'-thumb\.jpg"[^>]*>',
        card.group(0),
        re.S,
    )  # fmt: skip
    assert shown, card.group(0)
    assert f'alt="{escape(seller.shop["name"])}"' in shown.group(0)
    assert 'loading="lazy"' in shown.group(0)
    assert 'width="300" height="300"' in shown.group(0)
    # On the shop's own page its cards do not repeat the logo its heading shows.
    slug = seller.shop["slug"]
    support.wait_for(lambda: listing["id"] in text(shopper.get(f"/shops/{slug}")))
    shop_page = text(shopper.get(f"/shops/{slug}"))
    assert shop_page.count(f"/photos/{key}-thumb.jpg") == 1
