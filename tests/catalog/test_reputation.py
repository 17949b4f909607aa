"""review.posted and review.hidden in the catalog: the shop's reputation on its row, its
listings, search."""

from __future__ import annotations

import sqlite3

from sqlalchemy import select

from services.catalog.db import IndexedShop
from services.catalog.search.embedded import EmbeddedSearchIndex
from services.common.contracts import Reputation, ReviewHidden, ReviewPosted, wrap
from tests.catalog.factories import document, listing_upserted, new_id, shop_updated


def review_posted(
    shop_id: str = "shop-1", *, average: float, count: int, share: float = 1.0
) -> ReviewPosted:
    return ReviewPosted(
        review_id=new_id(),
        shop_id=shop_id,
        shop_order_id=new_id(),
        rating=5,
        text="Lovely parcel.",
        reputation=Reputation(average=average, count=count, positive_share=share, revision=count),
    )


def shop_row(catalog, shop_id: str = "shop-1") -> IndexedShop:
    with catalog.runtime.session_factory() as session:
        return session.scalars(select(IndexedShop).where(IndexedShop.shop_id == shop_id)).one()


def test_review_posted_keeps_the_reputation_and_updates_the_shops_documents(catalog):
    catalog.deliver(shop_updated(shop_id="shop-1", name="Bag End Books"))
    listing = listing_upserted(shop_id="shop-1", title="The Hobbit")
    other = listing_upserted(shop_id="shop-2", title="The Hobbit, other shop")
    catalog.deliver(listing)
    catalog.deliver(other)

    catalog.deliver(review_posted(average=4.5, count=2, share=0.5))

    shop = shop_row(catalog)
    assert (shop.rating_average, shop.rating_count, shop.rating_positive_share) == (4.5, 2, 0.5)
    assert shop.reputation_revision == 2
    hits = {hit["title"]: hit for hit in catalog.search("hobbit")["hits"]}
    assert (hits["The Hobbit"]["shop_rating"], hits["The Hobbit"]["shop_reviews"]) == (4.5, 2)
    assert (
        hits["The Hobbit, other shop"]["shop_rating"],
        hits["The Hobbit, other shop"]["shop_reviews"],
    ) == (None, 0)
    detail = catalog.client.get(f"/listings/{listing.listing_id}").get_json()
    assert (detail["shop_rating"], detail["shop_reviews"]) == (4.5, 2)
    assert detail["shop"]["reputation"] == {"average": 4.5, "count": 2, "positive_share": 0.5}
    offers = catalog.client.get(f"/works/{detail['work_id']}/offers").get_json()["offers"]
    assert {(o["shop_id"], o["shop_rating"], o["shop_reviews"]) for o in offers} == {
        ("shop-1", 4.5, 2),
        ("shop-2", None, 0),
    }


def test_an_older_reputation_never_replaces_a_newer_one(catalog):
    catalog.deliver(shop_updated(shop_id="shop-1"))
    catalog.deliver(listing_upserted(shop_id="shop-1", title="The Hobbit"))

    catalog.deliver(review_posted(average=3.0, count=3))
    catalog.deliver(review_posted(average=5.0, count=2))
    catalog.deliver(review_posted(average=1.0, count=3))

    assert (shop_row(catalog).rating_average, shop_row(catalog).rating_count) == (3.0, 3)
    [hit] = catalog.search("hobbit")["hits"]
    assert (hit["shop_rating"], hit["shop_reviews"]) == (3.0, 3)


def test_a_redelivered_review_is_applied_once(catalog):
    catalog.deliver(shop_updated(shop_id="shop-1"))
    event = review_posted(average=4.0, count=1)
    envelope = wrap(event)
    handler = catalog.consumer.handlers[ReviewPosted]

    assert catalog.consumer.apply(envelope, event, handler) is True
    assert catalog.consumer.apply(envelope, event, handler) is False
    assert shop_row(catalog).rating_count == 1


def test_a_review_before_the_shop_is_known_is_kept_until_the_shop_arrives(catalog):
    catalog.deliver(listing_upserted(shop_id="shop-9", title="The Hobbit"))

    catalog.deliver(review_posted("shop-9", average=4.0, count=1))
    [before] = catalog.search("hobbit")["hits"]
    catalog.deliver(shop_updated(shop_id="shop-9", slug="late-books", name="Late Books"))

    assert (before["shop_name"], before["shop_rating"]) == (None, 4.0)
    [after] = catalog.search("hobbit")["hits"]
    assert (after["shop_name"], after["shop_rating"], after["shop_reviews"]) == (
        "Late Books",
        4.0,
        1,
    )
    assert catalog.client.get("/shops/late-books").get_json()["reputation"]["count"] == 1


def test_search_api_sorts_by_reputation_and_filters_by_minimum_rating(catalog):
    for shop_id, average, count in (("good", 4.8, 10), ("many", 4.2, 50), ("few", 4.2, 1)):
        catalog.deliver(shop_updated(shop_id=shop_id, slug=shop_id, name=shop_id))
        catalog.deliver(listing_upserted(shop_id=shop_id, title=f"The Hobbit at {shop_id}"))
        catalog.deliver(review_posted(shop_id, average=average, count=count))
    catalog.deliver(listing_upserted(shop_id="unrated", title="The Hobbit at unrated"))

    ranked = catalog.search("hobbit", sort="reputation")
    filtered = catalog.search("hobbit", rating_at_least="4.5")
    refused = catalog.client.get("/search", query_string={"rating_at_least": "6"})

    assert [hit["shop_id"] for hit in ranked["hits"]] == ["good", "many", "few", "unrated"]
    assert ranked["sort"] == "reputation"
    assert [hit["shop_id"] for hit in filtered["hits"]] == ["good"]
    assert refused.status_code == 422
    assert "rating_at_least" in refused.get_json()["fields"]


def test_shop_by_slug_shows_its_public_face_and_reputation(catalog):
    catalog.deliver(
        shop_updated(shop_id="shop-1", slug="bag-end", name="Bag End", about="Since 1937.")
    )
    catalog.deliver(review_posted(average=5.0, count=1))

    found = catalog.client.get("/shops/bag-end")
    missing = catalog.client.get("/shops/nowhere")

    assert found.status_code == 200
    body = found.get_json()
    assert (body["id"], body["name"], body["about"], body["country"]) == (
        "shop-1",
        "Bag End",
        "Since 1937.",
        "GB",
    )
    assert body["reputation"] == {"average": 5.0, "count": 1, "positive_share": 1.0}
    assert missing.status_code == 404


def test_an_index_file_of_the_previous_version_keeps_its_documents(tmp_path):
    path = tmp_path / "index.sqlite"
    index = EmbeddedSearchIndex(path)
    book = document(title="The Hobbit")
    index.upsert([book])
    index.close()
    # The file as the version before reputation left it: no rating columns.
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "ALTER TABLE documents DROP COLUMN shop_rating;"
            "ALTER TABLE documents DROP COLUMN shop_reviews;"
            "ALTER TABLE documents DROP COLUMN landed_domestic;"
            "ALTER TABLE documents DROP COLUMN landed_international;"
            "ALTER TABLE documents DROP COLUMN images;"
            "ALTER TABLE documents DROP COLUMN shop_town;"
            "ALTER TABLE documents DROP COLUMN shop_lat;"
            "ALTER TABLE documents DROP COLUMN shop_lon;"
            "ALTER TABLE documents DROP COLUMN rates_key;"
            "PRAGMA user_version = 2;"
        )

    reopened = EmbeddedSearchIndex(path)

    found = reopened.get(book.listing_id)
    reopened.close()
    assert found is not None
    assert (found.title, found.shop_rating, found.shop_reviews) == ("The Hobbit", 0.0, 0)


def test_shop_is_found_by_its_id_too_but_not_before_its_name_is_known(catalog):
    catalog.deliver(shop_updated(shop_id="shop-1", slug="bag-end", name="Bag End"))
    catalog.deliver(review_posted("shop-7", average=5.0, count=1))

    assert catalog.client.get("/shops/shop-1").get_json()["slug"] == "bag-end"
    assert catalog.client.get("/shops/shop-7").status_code == 404


def test_a_hidden_review_lowers_the_reputation_though_the_count_falls(catalog):
    catalog.deliver(shop_updated(shop_id="shop-1"))
    catalog.deliver(listing_upserted(shop_id="shop-1", title="The Hobbit"))
    catalog.deliver(review_posted(average=3.0, count=2))

    catalog.deliver(
        ReviewHidden(
            review_id=new_id(),
            shop_id="shop-1",
            reputation=Reputation(average=5.0, count=1, positive_share=1.0, revision=3),
        )
    )

    assert (shop_row(catalog).rating_average, shop_row(catalog).rating_count) == (5.0, 1)
    [hit] = catalog.search("hobbit")["hits"]
    assert (hit["shop_rating"], hit["shop_reviews"]) == (5.0, 1)
