"""A listing's photos in the portal, then on the shopper's pages: cover, gallery, files; and
the shop's logo and banner.

Against fake services (tests/gateway/fakes.py, fakes_orders.py). Reading, resizing and
storing the pictures is the shops service's (tests/shops/test_photos_api.py); here, what
the portal sends, how each page shows the photos it is given, and how the gateway serves
the stored files. The whole way from the portal to a shopper's search runs against the
live services in test_orders_live.py.
"""

from __future__ import annotations

import io
import re

import pytest

from gateway.clients import ServiceError
from tests.gateway.fakes import a_listing, a_shop, an_order, order_page_answers
from tests.gateway.helpers import sign_up, text
from tests.gateway.sell.fakes_orders import (
    a_cart,
    a_public_shop,
    a_search_hit,
    a_seller_order,
    a_work,
    an_image,
    an_offer,
    an_own_listing,
    search_results,
    seller_order_answers,
    shop_page_answers,
    shop_reviews,
)
from tests.gateway.sell.helpers import submit

FIRST, SECOND, THIRD = ("1f" * 16, "2e" * 16, "3d" * 16)
PHOTOS = "/sell/listings/listing-1/photos"
SHOPS_PHOTOS = "/shops/shop-1/listings/listing-1/photos"
LISTING = an_own_listing(images=[an_image(FIRST), an_image(SECOND), an_image(THIRD)])


def upload(client, *names: str, data: bytes = b"\x89PNG\r\n\x1a\n"):  # noqa: ANN001, ANN201
    files = [(io.BytesIO(data), name) for name in names]
    return submit(client, PHOTOS, {"photos": files}, content_type="multipart/form-data")


@pytest.fixture
def shopper(app, fakes):  # noqa: ANN001, ANN201
    client = app.test_client()
    assert sign_up(client, email="ben@example.org", display_name="Ben Buyer").status_code == 302
    fakes.on("GET", "/shops/mine", {"shops": []})
    return client


# --- the portal -----------------------------------------------------------------------------


def test_the_photos_page_shows_the_listings_photos_cover_first(portal, fakes):
    fakes.on("GET", "/listings/listing-1", LISTING)

    page = text(portal.get(PHOTOS))

    order = re.findall(r'data-key="([0-9a-f]{32})"', page)
    assert order == [FIRST, SECOND, THIRD]
    assert page.index('class="cover-badge"') < page.index(f'data-key="{SECOND}"')


def test_photos_of_another_shops_listing_are_not_found(portal, fakes):
    fakes.on("GET", "/listings/listing-1", LISTING | {"shop_id": "shop-2"})

    page = portal.get(PHOTOS)
    arranged = submit(portal, f"{PHOTOS}/arrange", {"cover": SECOND})

    assert page.status_code == arranged.status_code == 404
    assert fakes.writes() == []


def test_several_photos_go_to_the_shops_service_in_one_call(portal, fakes):
    fakes.on("GET", "/listings/listing-1", LISTING)
    sent: list[list[tuple[str, str, bytes]]] = []

    def receive(options: dict) -> dict:
        sent.append([(name, kind, stream.read()) for _, (name, stream, kind) in options["files"]])
        return LISTING

    fakes.on("POST", SHOPS_PHOTOS, receive)

    added = upload(portal, "photo-1.jpg", "photo-2.jpg", "photo-3.jpg")

    assert added.status_code == 302 and added.headers["Location"] == PHOTOS
    assert [[name for name, _, _ in files] for files in sent] == [
        ["photo-1.jpg", "photo-2.jpg", "photo-3.jpg"]
    ]
    assert sent[0][0] == ("photo-1.jpg", "image/jpeg", b"\x89PNG\r\n\x1a\n")
    assert "Added 3 photos to “Middlemarch”." in text(portal.get(PHOTOS))


def test_a_file_the_service_cannot_read_is_named_in_the_message(portal, fakes):
    fakes.on("GET", "/listings/listing-1", LISTING)
    refusal = ServiceError(422, "stock.csv: this file is not a picture we can read")
    fakes.on("POST", SHOPS_PHOTOS, refusal)

    response = upload(portal, "stock.csv", data=b"name,price\n")

    assert "stock.csv: this file is not a picture we can read" in text(
        portal.get(response.headers["Location"])
    )


def test_no_file_chosen_sends_nothing(portal, fakes):
    fakes.on("GET", "/listings/listing-1", LISTING)

    response = submit(portal, PHOTOS, {}, content_type="multipart/form-data")

    assert "Choose one or more photos to add." in text(portal.get(response.headers["Location"]))
    assert fakes.writes() == []


def test_moving_a_photo_sends_the_new_order_and_a_cover_is_sent_with_its_description(portal, fakes):
    fakes.on("GET", "/listings/listing-1", LISTING)
    fakes.on("PATCH", SHOPS_PHOTOS, LISTING)

    moved = submit(portal, f"{PHOTOS}/arrange", {"down": FIRST})
    up_from_the_top = submit(portal, f"{PHOTOS}/arrange", {"up": FIRST, f"alt-{FIRST}": ""})
    covered = submit(
        portal, f"{PHOTOS}/arrange", {"cover": THIRD, f"alt-{THIRD}": "The spine, gilt"}
    )

    assert moved.status_code == up_from_the_top.status_code == covered.status_code == 302
    assert fakes.sent("PATCH", SHOPS_PHOTOS) == [
        {"order": [SECOND, FIRST, THIRD]},
        {"alt": {FIRST: ""}},  # the first cannot go further up: only its description
        {"cover": THIRD, "alt": {THIRD: "The spine, gilt"}},
    ]
    assert "Saved the photos." in text(portal.get(PHOTOS))


def test_removing_a_photo_asks_the_shops_service_to_delete_it(portal, fakes):
    fakes.on("GET", "/listings/listing-1", LISTING)
    fakes.on("DELETE", f"{SHOPS_PHOTOS}/{SECOND}", LISTING)

    submit(portal, f"{PHOTOS}/{SECOND}/remove", {})

    assert fakes.writes() == [f"DELETE {SHOPS_PHOTOS}/{SECOND}"]
    assert "Removed the photo." in text(portal.get(PHOTOS))


def test_the_owner_sends_a_logo_and_a_banner(portal, fakes):
    fakes.on("GET", "/shops/shop-1", a_shop(), service="shops")
    sent: list[tuple[str, str, bytes]] = []

    def receive(options: dict) -> dict:
        name, stream, kind = options["files"]["image"]
        sent.append((name, kind, stream.read()))
        return a_shop(logo=an_image(FIRST))

    fakes.on("PUT", "/shops/shop-1/logo", receive)
    fakes.on("PUT", "/shops/shop-1/banner", receive)

    logo = submit(
        portal,
        "/sell/shop-images/logo",
        {"image": (io.BytesIO(b"logo bytes"), "logo.png")},
        content_type="multipart/form-data",
    )
    banner = submit(
        portal,
        "/sell/shop-images/banner",
        {"image": (io.BytesIO(b"banner bytes"), "banner.png")},
        content_type="multipart/form-data",
    )

    assert logo.status_code == banner.status_code == 302
    assert sent == [
        ("logo.png", "image/png", b"logo bytes"),
        ("banner.png", "image/png", b"banner bytes"),
    ]
    assert "Saved the banner." in text(portal.get("/sell/shop-images"))


# --- the shopper's pages ---------------------------------------------------------------------


def test_search_results_show_the_cover_at_its_size_with_its_description(app, fakes):
    cover = an_image(THIRD, alt="The spine, gilt", thumb=(300, 200))
    fakes.on("GET", "/search", search_results(a_search_hit(cover=cover)))

    results = text(app.test_client().get("/search?q=middlemarch"))

    shown = re.search(r'<img src="(/photos/' + THIRD + r'-thumb\.jpg)"[^>]*>', results)
    assert shown and 'width="300" height="200"' in shown.group(0)
    assert 'alt="The spine, gilt"' in shown.group(0)


def test_the_listing_page_shows_its_photos_in_their_order(app, fakes):
    images = [an_image(THIRD), an_image(SECOND), an_image(FIRST)]
    fakes.on("GET", "/listings/listing-1", a_listing() | {"images": images})

    page = text(app.test_client().get("/listings/listing-1"))

    slides = re.findall(r"/photos/([0-9a-f]{32})-medium\.jpg", page)
    assert slides == [THIRD, SECOND, FIRST]


def test_a_stored_photo_is_served_to_everyone_cached_for_good(app, portal):
    app.extensions["photo_store"].put(
        f"{THIRD}-thumb.jpg", b"\xff\xd8\xff jpeg", content_type="image/jpeg"
    )

    served = app.test_client().get(f"/photos/{THIRD}-thumb.jpg")
    signed_in = portal.get(f"/photos/{THIRD}-thumb.jpg")

    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.data == b"\xff\xd8\xff jpeg"
    assert "immutable" in served.headers["Cache-Control"]
    # A signed-in person's pages are never cached, but a photo is the same for everyone.
    assert "immutable" in signed_in.headers["Cache-Control"]
    assert app.test_client().get(f"/photos/{FIRST}-thumb.jpg").status_code == 404
    assert app.test_client().get("/photos/..%2Fgateway.db").status_code == 404


def test_the_cover_shows_on_the_compare_cart_and_order_pages(fakes, shopper):
    order_page_answers(fakes, an_order())
    fakes.on("GET", "/shops/mine", {"shops": []})
    fakes.on("GET", "/covers", {"covers": {"listing-1": an_image(FIRST)}})
    fakes.on("GET", "/works/work-1", a_work())
    fakes.on("GET", "/works/work-1/offers", {"offers": [an_offer(cover=an_image(FIRST))]})
    fakes.on("GET", "/cart", a_cart())

    pages = {
        page: text(shopper.get(page)) for page in ("/works/work-1", "/cart", "/orders/order-1")
    }

    for page, html in pages.items():
        assert f"/photos/{FIRST}-thumb.jpg" in html, page


def test_the_cover_shows_on_the_packing_slip(portal, fakes):
    seller_order_answers(fakes, a_seller_order())
    fakes.on("GET", "/covers", {"covers": {"listing-1": an_image(FIRST)}})

    slip = text(portal.get("/sell/orders/so-1/slip"))

    assert f"/photos/{FIRST}-thumb.jpg" in slip


def test_the_shop_page_shows_its_banner_and_logo(app, fakes):
    shop = a_public_shop(logo=an_image(FIRST), banner=an_image(SECOND))
    shop_page_answers(fakes, reviews=shop_reviews(), shop=shop)

    page = text(app.test_client().get("/shops/maras-books"))

    assert f"/photos/{SECOND}-large.jpg" in page
    assert f"/photos/{FIRST}-thumb.jpg" in page


def test_search_results_show_the_shops_logo_small_named_and_lazy(app, fakes):
    logo = an_image(FIRST, thumb=(300, 300))
    fakes.on("GET", "/search", search_results(a_search_hit(shop_logo=logo)))

    results = text(app.test_client().get("/search?q=cranford"))

    card = re.search(r'<li class="card[^"]*" data-listing-id="listing-1">.*?</li>', results, re.S)
    assert card, results
    shown = re.search(
        r'<picture class="photo shop-logo small">.*?<img src="/photos/' + FIRST
        + r'-thumb\.jpg"[^>]*>',
        card.group(0),
        re.S,
    )  # fmt: skip
    assert shown, card.group(0)
    assert 'alt="Mara&#39;s Books"' in shown.group(0)  # the shop's name, not the file's
    assert 'loading="lazy"' in shown.group(0)
    assert 'width="300" height="300"' in shown.group(0)


def test_the_shops_own_page_does_not_repeat_its_logo_on_its_cards(app, fakes):
    logo = an_image(FIRST, thumb=(300, 300))
    shop_page_answers(fakes, reviews=shop_reviews(), shop=a_public_shop(logo=logo))
    fakes.on("GET", "/search", search_results(a_search_hit(shop_logo=logo)))

    page = text(app.test_client().get("/shops/maras-books"))

    assert 'data-listing-id="listing-1"' in page
    assert page.count(f"/photos/{FIRST}-thumb.jpg") == 1  # the heading's
