"""Uploaded photos in the catalog: stored with the listing, shown as the cover, kept."""

from __future__ import annotations

from services.common.contracts import ListingImage
from tests.catalog.factories import listing_upserted, shop_updated

FRONT = ListingImage(
    key="a1" * 16,
    alt="The front cover",
    colour="#336699",
    sizes={"thumb": {"width": 320, "height": 240}, "medium": {"width": 960, "height": 720}},
)
SPINE = ListingImage(key="b2" * 16, alt="The spine")


def test_search_and_the_listing_show_the_cover_and_every_photo(catalog):
    listing = listing_upserted(title="The Hobbit", images=[FRONT, SPINE])

    catalog.deliver(listing)

    hit = catalog.client.get("/search?q=hobbit").get_json()["hits"][0]
    detail = catalog.client.get(f"/listings/{listing.listing_id}").get_json()
    assert hit["cover"]["key"] == FRONT.key
    assert hit["cover"]["sizes"]["thumb"] == {"width": 320, "height": 240}
    assert [image["key"] for image in detail["images"]] == [FRONT.key, SPINE.key]
    assert detail["images"][1]["alt"] == "The spine"


def test_an_upsert_that_does_not_say_keeps_the_photos_known(catalog):
    listing = listing_upserted(title="The Hobbit", images=[FRONT])
    catalog.deliver(listing)

    # An inventory file's row changes the price and says nothing about photos.
    catalog.deliver(listing.model_copy(update={"revision": 2, "images": None, "quantity": 3}))

    hit = catalog.client.get("/search?q=hobbit").get_json()["hits"][0]
    assert hit["quantity"] == 3
    assert hit["cover"]["key"] == FRONT.key


def test_an_upsert_with_no_photos_removes_them(catalog):
    listing = listing_upserted(title="The Hobbit", images=[FRONT])
    catalog.deliver(listing)

    catalog.deliver(listing.model_copy(update={"revision": 2, "images": []}))

    assert catalog.client.get("/search?q=hobbit").get_json()["hits"][0]["cover"] is None


def test_a_shops_logo_and_banner_are_on_its_page_and_its_listings(catalog):
    catalog.deliver(shop_updated(logo=FRONT, banner=SPINE, revision=1))
    listing = listing_upserted(title="The Hobbit")
    catalog.deliver(listing)

    page = catalog.client.get("/shops/hobbit-hole-books").get_json()
    detail = catalog.client.get(f"/listings/{listing.listing_id}").get_json()

    assert page["logo"]["key"] == FRONT.key
    assert page["banner"]["key"] == SPINE.key
    assert detail["shop"]["logo"]["key"] == FRONT.key


def test_offers_carry_their_shops_logo_and_cover(catalog):
    catalog.deliver(shop_updated(logo=FRONT, revision=1))
    listing = listing_upserted(title="The Hobbit", images=[SPINE])
    catalog.deliver(listing)
    work_id = catalog.client.get("/search?q=hobbit").get_json()["hits"][0]["work_id"]

    [offer] = catalog.client.get(f"/works/{work_id}/offers").get_json()["offers"]

    assert offer["shop_logo"]["key"] == FRONT.key
    assert offer["cover"]["key"] == SPINE.key


def test_search_results_carry_their_shops_logo_as_the_shop_last_said(catalog):
    catalog.deliver(shop_updated(logo=FRONT, revision=1))
    catalog.deliver(listing_upserted(title="The Hobbit", images=[SPINE]))

    [hit] = catalog.client.get("/search?q=hobbit").get_json()["hits"]
    assert hit["shop_logo"]["key"] == FRONT.key
    assert hit["shop_logo"]["sizes"]["thumb"] == {"width": 320, "height": 240}

    # The shop takes its logo away: the next search shows none, without any reindexing.
    catalog.deliver(shop_updated(logo=None, revision=2))
    [hit] = catalog.client.get("/search?q=hobbit").get_json()["hits"]
    assert hit["shop_logo"] is None
    assert hit["cover"]["key"] == SPINE.key


def test_a_search_result_of_a_shop_without_a_logo_has_none(catalog):
    catalog.deliver(listing_upserted(title="The Hobbit"))

    [hit] = catalog.client.get("/search?q=hobbit").get_json()["hits"]
    assert hit["shop_logo"] is None
