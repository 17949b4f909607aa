"""Use cases of the catalog: apply listing and shop events to the read model and the index.

Each handler runs inside the consumer's transaction (the one that also records the message
id in the inbox). The database and the search index are two stores: the index is written
before the transaction commits, and every index write is an upsert or a removal by listing
id, so a redelivery after a failed commit simply writes the same thing again.

Index writes run on a thread of their own, in the order the handlers ask for them, and the
transaction's commit waits for them all (and fails if one failed). So while the index takes
one batch of listings, the next message of the same transaction is already being applied:
SQLite's FTS5 (or Meilisearch) works without holding the GIL, and in a bulk upload the index
is the larger half of the work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import select
from sqlalchemy.event import listen
from sqlalchemy.orm import Session

from services.catalog.db import IndexedListing, IndexedShop
from services.catalog.documents import documents, search_document
from services.catalog.domain import NEVER, StaleUpdate
from services.catalog.read_model import plan_upserts
from services.catalog.search.port import SearchDocument, SearchIndex
from services.catalog.wants.matching import match_arrivals
from services.common.contracts import (
    Envelope,
    ListingRemoved,
    ListingsUpserted,
    ListingUpserted,
    ReviewHidden,
    ReviewPosted,
    ShopUpdated,
)
from services.common.messaging.consumer import Handler

log = logging.getLogger(__name__)


class CatalogHandlers:
    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        # One thread: the index sees the writes in the order they were asked for.
        self._index_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="index")

    def listing_upserted(
        self, session: Session, event: ListingUpserted, envelope: Envelope
    ) -> None:
        self.apply_listings(session, [event], payloads=[envelope.payload])

    def listings_upserted(
        self, session: Session, event: ListingsUpserted, envelope: Envelope
    ) -> None:
        # The listings as they came, already validated into `event`: stored as they are
        # rather than serialized again.
        self.apply_listings(session, event.listings, payloads=envelope.payload["listings"])

    def apply_listings(
        self,
        session: Session,
        events: Sequence[ListingUpserted],
        *,
        payloads: Sequence[dict[str, Any]] | None = None,
    ) -> None:
        """Apply upserts in the order given (stale ones skipped), and write the index once.

        `payloads` are the events as JSON, when the caller has them already."""
        upserts = plan_upserts(session, events, payloads=payloads)
        if not upserts.applied:
            return
        shops = {
            shop_id: session.get(IndexedShop, shop_id)
            for shop_id in {upsert.event.shop_id for upsert in upserts.applied}
        }
        shown, hidden = documents(upserts.applied, shops)
        self._write_index_before_commit(session, shown, hidden)
        upserts.write(session)
        arrivals = [upsert.payload for upsert in upserts.applied if upsert.arrived]
        match_arrivals(session, arrivals, shops)

    def listing_removed(self, session: Session, event: ListingRemoved, _: Envelope) -> None:
        listing = _locked_listing(session, event.listing_id)
        if listing is None:
            # Remember the removal, so an older upsert arriving late cannot bring it back.
            listing = IndexedListing(listing_id=event.listing_id, quantity=0, listing=None)
            session.add(listing)
        try:
            listing.apply_removal(event)
        except StaleUpdate as stale:
            log.info(
                "ignoring stale listing removal",
                extra={"listing_id": event.listing_id, "reason": str(stale)},
            )
            return
        self._write_index_before_commit(session, [], [event.listing_id])

    def shop_updated(self, session: Session, event: ShopUpdated, envelope: Envelope) -> None:
        shop = session.get(IndexedShop, event.shop_id, with_for_update=True)
        if shop is None:
            shop = IndexedShop(shop_id=event.shop_id)
            session.add(shop)
        try:
            shop.apply_update(event, changed_at=envelope.occurred_at)
        except StaleUpdate as stale:
            log.info(
                "ignoring stale shop update", extra={"shop_id": event.shop_id, "reason": str(stale)}
            )
            return
        listings = session.scalars(
            select(IndexedListing).where(IndexedListing.shop_id == event.shop_id)
        )
        self._write_index_before_commit(session, *shown_and_hidden(listings, {shop.shop_id: shop}))

    def reputation_changed(
        self, session: Session, event: ReviewPosted | ReviewHidden, _: Envelope
    ) -> None:
        """Keep the shop's reputation, and show it on every listing of the shop: a review
        posted, or one the platform hid (the reputation is then without it)."""
        shop = session.get(IndexedShop, event.shop_id, with_for_update=True)
        if shop is None:
            # Its shop.updated has not arrived yet: the row holds the reputation until then,
            # and any shop.updated replaces its empty name.
            shop = IndexedShop(
                shop_id=event.shop_id, slug="", name="", signature="", changed_at=NEVER
            )
            session.add(shop)
        try:
            shop.apply_reputation(event.reputation)
        except StaleUpdate as stale:
            log.info(
                "ignoring stale reputation", extra={"shop_id": event.shop_id, "reason": str(stale)}
            )
            return
        listings = session.scalars(
            select(IndexedListing).where(IndexedListing.shop_id == event.shop_id)
        )
        self._write_index_before_commit(session, *shown_and_hidden(listings, {shop.shop_id: shop}))

    def _write_index_before_commit(
        self, session: Session, shown: list[SearchDocument], hidden: list[str]
    ) -> None:
        """Start writing `shown` and removing `hidden` on the index thread; the session's
        commit waits until every write it started is done, and fails with the first that
        failed."""
        if not shown and not hidden:
            return
        pending: list[Future[None]] | None = session.info.get(_INDEX_WRITES)
        if pending is None:
            pending = session.info[_INDEX_WRITES] = []
            listen(session, "before_commit", _wait_for_index_writes)
        pending.append(self._index_writer.submit(_write_index, self.index, shown, hidden))

    def handlers(self) -> dict[type, Handler]:
        """The event → handler map the worker consumes with."""
        return {
            ListingUpserted: self.listing_upserted,
            ListingsUpserted: self.listings_upserted,
            ListingRemoved: self.listing_removed,
            ShopUpdated: self.shop_updated,
            ReviewPosted: self.reputation_changed,
            ReviewHidden: self.reputation_changed,
        }


def record_listings(
    session: Session, events: Sequence[ListingUpserted]
) -> tuple[list[IndexedListing], list[IndexedListing]]:
    """Apply upserts to the read model: (every listing they name, the ones that changed)."""
    ids = sorted({event.listing_id for event in events})
    # Rows locked in id order, so two workers applying overlapping batches never deadlock.
    known = {
        listing.listing_id: listing
        for listing in session.scalars(
            select(IndexedListing)
            .where(IndexedListing.listing_id.in_(ids))
            .order_by(IndexedListing.listing_id)
            .with_for_update()
        )
    }
    changed: dict[str, IndexedListing] = {}
    for event in events:
        listing = known.get(event.listing_id)
        if listing is None:
            listing = known[event.listing_id] = IndexedListing(listing_id=event.listing_id)
            session.add(listing)
        try:
            listing.apply_upsert(event)
        except StaleUpdate as stale:
            log.info(
                "ignoring stale listing update",
                extra={"listing_id": event.listing_id, "reason": str(stale)},
            )
            continue
        changed[listing.listing_id] = listing
    return list(known.values()), list(changed.values())


def project_many(
    index: SearchIndex,
    listings: Iterable[IndexedListing],
    shops: Mapping[str, IndexedShop | None],
) -> None:
    """Make the index show exactly the searchable ones among `listings`, as they are now:
    one index write for them all."""
    _write_index(index, *shown_and_hidden(listings, shops))


def shown_and_hidden(
    listings: Iterable[IndexedListing], shops: Mapping[str, IndexedShop | None]
) -> tuple[list[SearchDocument], list[str]]:
    """The documents of the searchable ones among `listings`, and the ids of the others."""
    shown: list[SearchDocument] = []
    hidden: list[str] = []
    for listing in listings:
        shop = shops.get(listing.shop_id)
        if listing.visibility(shop).searchable:
            shown.append(search_document(listing, shop))
        else:
            hidden.append(listing.listing_id)
    return shown, hidden


def reindex_all(session: Session, index: SearchIndex, *, batch: int = 1000) -> int:
    """Write every document from the read model into `index` (e.g. a fresh replacement)."""
    shops: dict[str, IndexedShop | None] = {
        shop.shop_id: shop for shop in session.scalars(select(IndexedShop))
    }
    count = 0
    pending: list[IndexedListing] = []
    for listing in session.scalars(select(IndexedListing).execution_options(yield_per=batch)):
        pending.append(listing)
        if len(pending) == batch:
            project_many(index, pending, shops)
            count, pending = count + len(pending), []
    project_many(index, pending, shops)
    return count + len(pending)


_INDEX_WRITES = "catalog.index_writes"


def _write_index(index: SearchIndex, shown: list[SearchDocument], hidden: list[str]) -> None:
    index.upsert(shown)
    index.remove(hidden)


def _wait_for_index_writes(session: Session) -> None:
    for write in session.info.pop(_INDEX_WRITES, ()):
        write.result()


def _locked_listing(session: Session, listing_id: str) -> IndexedListing | None:
    # The row lock (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers) keeps
    # two workers from applying two revisions of one listing in the wrong order, index too.
    return session.get(IndexedListing, listing_id, with_for_update=True)
