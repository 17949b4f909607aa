"""The catalog's event handlers on a real database, seen through the search API."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from services.catalog.db import IndexedListing
from services.catalog.handlers import CatalogHandlers, reindex_all
from services.common.contracts import ListingsUpserted, Money, ShippingRates, wrap
from tests.catalog.factories import later, listing_removed, listing_upserted, shop_updated


def stored(catalog, listing_id: str) -> IndexedListing:
    with catalog.runtime.session_factory() as session:
        return session.scalars(
            select(IndexedListing).where(IndexedListing.listing_id == listing_id)
        ).one()


def test_listing_upserted_makes_listing_searchable(catalog):
    listing = listing_upserted(title="The Hobbit")

    catalog.deliver(listing)

    assert catalog.titles("hobbit") == ["The Hobbit"]
    assert stored(catalog, listing.listing_id).revision == 1


def test_listing_upserted_ignores_an_older_revision(catalog):
    newer = listing_upserted(title="The Hobbit, signed", revision=3)
    older = newer.model_copy(update={"title": "The Hobbit", "revision": 2})

    catalog.deliver(newer)
    catalog.deliver(older)
    catalog.deliver(newer.model_copy(update={"title": "Same revision again"}))

    assert catalog.titles() == ["The Hobbit, signed"]
    assert stored(catalog, newer.listing_id).revision == 3


def test_listing_upserted_applies_a_redelivered_message_once(catalog):
    listing = listing_upserted(title="The Hobbit")
    envelope = wrap(listing)
    handler = catalog.consumer.handlers[type(listing)]

    assert catalog.consumer.apply(envelope, listing, handler) is True
    assert catalog.consumer.apply(envelope, listing, handler) is False
    assert catalog.search("hobbit")["total"] == 1


def test_listing_upserted_with_no_stock_hides_but_remembers_listing(catalog):
    listing = listing_upserted(title="The Hobbit", quantity=2)
    catalog.deliver(listing)

    catalog.deliver(listing.model_copy(update={"quantity": 0, "revision": 2}))

    assert catalog.titles("hobbit") == []
    assert catalog.client.get(f"/listings/{listing.listing_id}").status_code == 404
    state = stored(catalog, listing.listing_id)
    assert (state.revision, state.quantity, state.removed) == (2, 0, False)

    catalog.deliver(listing.model_copy(update={"quantity": 1, "revision": 3}))
    assert catalog.titles("hobbit") == ["The Hobbit"]


def test_listing_removed_takes_listing_out_of_search(catalog):
    listing = listing_upserted(title="The Hobbit")
    catalog.deliver(listing)

    catalog.deliver(listing_removed(listing, revision=2))

    assert catalog.titles() == []
    assert stored(catalog, listing.listing_id).removed is True


def test_listing_removed_before_its_upsert_keeps_listing_out(catalog):
    listing = listing_upserted(title="The Hobbit", revision=1)

    catalog.deliver(listing_removed(listing, revision=2))
    catalog.deliver(listing)

    assert catalog.titles() == []


def test_messages_of_one_transaction_see_each_other_whatever_path_wrote_them(catalog):
    # The consumer applies several messages in one transaction: a removal through the ORM,
    # a batch through plain statements, then a shop update that reads the shop's listings.
    # Each must find what the one before wrote, even through an object loaded before it.
    listing = listing_upserted(title="The Hobbit")
    catalog.deliver(listing)
    handlers = CatalogHandlers(catalog.runtime.search_index)
    newer = listing.model_copy(update={"title": "The Hobbit, signed", "revision": 4})
    batch = ListingsUpserted(shop_id=listing.shop_id, listings=[newer])
    renamed = shop_updated(name="Bag End Books")

    with catalog.runtime.session_factory.begin() as session:
        handlers.listing_removed(session, listing_removed(listing, revision=2), wrap(listing))
        held = session.get(IndexedListing, listing.listing_id)
        handlers.listings_upserted(session, batch, wrap(batch))
        assert (held.revision, held.removed) == (4, False)
        handlers.shop_updated(session, renamed, wrap(renamed))

    hits = catalog.search("hobbit")["hits"]
    assert [(hit["title"], hit["shop_name"]) for hit in hits] == [
        ("The Hobbit, signed", "Bag End Books")
    ]
    state = stored(catalog, listing.listing_id)
    assert (state.revision, state.removed) == (4, False)


def test_listing_removed_ignores_an_older_revision(catalog):
    listing = listing_upserted(title="The Hobbit", revision=5)
    catalog.deliver(listing)

    catalog.deliver(listing_removed(listing, revision=4))

    assert catalog.titles() == ["The Hobbit"]


def test_shop_updated_names_the_shop_on_its_listings(catalog):
    catalog.deliver(listing_upserted(title="The Hobbit", shop_id="shop-1"))
    catalog.deliver(listing_upserted(title="Dune", shop_id="shop-2"))

    catalog.deliver(shop_updated(shop_id="shop-1", name="Bag End Books"))

    hits = {hit["title"]: hit["shop_name"] for hit in catalog.search()["hits"]}
    assert hits == {"The Hobbit": "Bag End Books", "Dune": None}


def test_listing_upserted_carries_a_known_shop_name(catalog):
    catalog.deliver(shop_updated(shop_id="shop-1", name="Bag End Books"))

    catalog.deliver(listing_upserted(title="The Hobbit", shop_id="shop-1"))

    assert catalog.search("hobbit")["hits"][0]["shop_name"] == "Bag End Books"


def test_shop_updated_on_vacation_hides_and_restores_its_listings(catalog):
    catalog.deliver(listing_upserted(title="The Hobbit", shop_id="shop-1"))
    sold_out = listing_upserted(title="The Silmarillion", shop_id="shop-1", quantity=0)
    catalog.deliver(sold_out)
    catalog.deliver(listing_upserted(title="Dune", shop_id="shop-2"))
    start = later()

    catalog.deliver(shop_updated(shop_id="shop-1", on_vacation=True), occurred_at=start)
    assert catalog.titles() == ["Dune"]
    catalog.deliver(listing_upserted(title="The Hobbit, 2nd copy", shop_id="shop-1"))
    assert catalog.titles() == ["Dune"]

    catalog.deliver(
        shop_updated(shop_id="shop-1", on_vacation=False), occurred_at=start + timedelta(days=7)
    )
    assert sorted(catalog.titles()) == ["Dune", "The Hobbit", "The Hobbit, 2nd copy"]


def test_shop_updated_ignores_an_older_update(catalog):
    catalog.deliver(listing_upserted(title="The Hobbit", shop_id="shop-1"))
    now = later()

    catalog.deliver(shop_updated(name="New Name"), occurred_at=now)
    catalog.deliver(shop_updated(name="Old Name", on_vacation=True), occurred_at=now - timedelta(1))

    assert catalog.search()["hits"][0]["shop_name"] == "New Name"


def test_reindex_all_rebuilds_a_lost_index(catalog):
    catalog.deliver(shop_updated(name="Bag End Books"))
    catalog.deliver(listing_upserted(title="The Hobbit"))
    catalog.deliver(listing_upserted(title="Sold out", quantity=0))
    index = catalog.runtime.search_index
    index.remove([hit["listing_id"] for hit in catalog.search()["hits"]])

    with catalog.runtime.session_factory() as session:
        assert reindex_all(session, index) == 2

    assert [(h["title"], h["shop_name"]) for h in catalog.search()["hits"]] == [
        ("The Hobbit", "Bag End Books")
    ]


def test_a_new_shop_its_rates_and_its_listing_in_one_transaction(catalog):
    # As a new shop arrives in one batch: created, given its rates, then its first listing.
    created = shop_updated(shop_id="shop-far", country="US")
    rates = {
        "domestic_first": Money(amount=300, currency="EUR"),
        "domestic_additional": Money(amount=100, currency="EUR"),
        "international_first": Money(amount=900, currency="EUR"),
        "international_additional": Money(amount=200, currency="EUR"),
    }
    priced = shop_updated(shop_id="shop-far", country="US", shipping=ShippingRates(**rates))
    listing = listing_upserted(shop_id="shop-far", title="Cranford")
    handlers = CatalogHandlers(catalog.runtime.search_index)

    with catalog.runtime.session_factory.begin() as session:
        handlers.shop_updated(session, created, wrap(created))
        handlers.shop_updated(session, priced, wrap(priced))
        handlers.listing_upserted(session, listing, wrap(listing))

    (hit,) = catalog.search("cranford", ship_to="NL")["hits"]
    assert hit["landed_price"]["amount"] == listing.price.amount + 900


class FailingIndex:
    """An index that refuses every write, as a full disk or a lost Meilisearch would."""

    def __init__(self, index) -> None:
        self._index = index

    def upsert(self, documents) -> None:
        list(documents)
        raise OSError("the index refused the write")

    def remove(self, listing_ids) -> None:
        raise OSError("the index refused the write")

    def __getattr__(self, name):
        return getattr(self._index, name)


def test_a_failed_index_write_fails_the_transaction_and_changes_nothing(catalog):
    listing = listing_upserted(title="The Hobbit")
    handlers = CatalogHandlers(FailingIndex(catalog.runtime.search_index))
    batch = ListingsUpserted(shop_id=listing.shop_id, listings=[listing])

    try:
        with catalog.runtime.session_factory.begin() as session:
            handlers.listings_upserted(session, batch, wrap(batch))
    except OSError as error:
        assert "refused" in str(error)
    else:
        raise AssertionError("the commit did not wait for the index write")

    with catalog.runtime.session_factory() as session:
        assert session.get(IndexedListing, listing.listing_id) is None
    assert catalog.titles() == []


class SlowIndex(FailingIndex):
    """An index that takes its time with every upsert (a busy Meilisearch, a large batch)."""

    def upsert(self, documents) -> None:
        time.sleep(0.3)
        self._index.upsert(documents)

    def remove(self, listing_ids) -> None:
        self._index.remove(listing_ids)


def test_index_writes_of_one_transaction_keep_their_order(catalog):
    # The index is written on a thread of its own while the next message is applied: a
    # removal that overtook the upsert before it would leave the listing searchable.
    listing = listing_upserted(title="The Hobbit", revision=1)
    handlers = CatalogHandlers(SlowIndex(catalog.runtime.search_index))
    batch = ListingsUpserted(shop_id=listing.shop_id, listings=[listing])
    removal = listing_removed(listing, revision=2)

    with catalog.runtime.session_factory.begin() as session:
        handlers.listings_upserted(session, batch, wrap(batch))
        handlers.listing_removed(session, removal, wrap(removal))

    assert catalog.titles() == []
