"""Use cases of the catalog: apply listing and shop events to the read model and the index.

Each handler runs inside the consumer's transaction (the one that also records the message
id in the inbox). The database and the search index are two stores: the handler writes the
index before the transaction commits, and every index write is an upsert or a removal by
listing id, so a redelivery after a failed commit simply writes the same thing again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.catalog.db import IndexedListing, IndexedShop
from services.catalog.domain import StaleUpdate
from services.catalog.search.port import SearchDocument, SearchIndex
from services.common.contracts import (
    Envelope,
    ListingRemoved,
    ListingUpserted,
    ShopUpdated,
)
from services.common.messaging.consumer import Handler

log = logging.getLogger(__name__)


class CatalogHandlers:
    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    def listing_upserted(self, session: Session, event: ListingUpserted, _: Envelope) -> None:
        listing = _locked_listing(session, event.listing_id)
        if listing is None:
            listing = IndexedListing(listing_id=event.listing_id)
            session.add(listing)
        try:
            listing.apply_upsert(event)
        except StaleUpdate as stale:
            log.info(
                "ignoring stale listing update",
                extra={"listing_id": event.listing_id, "reason": str(stale)},
            )
            return
        project(self.index, [listing], session.get(IndexedShop, event.shop_id))

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
        self.index.remove([event.listing_id])

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
        project(self.index, listings, shop)

    def handlers(self) -> dict[type, Handler]:
        """The event → handler map the worker consumes with."""
        return {
            ListingUpserted: self.listing_upserted,
            ListingRemoved: self.listing_removed,
            ShopUpdated: self.shop_updated,
        }


def project(
    index: SearchIndex, listings: Iterable[IndexedListing], shop: IndexedShop | None
) -> None:
    """Make the index show exactly the searchable ones among `listings`, as they are now."""
    shown: list[SearchDocument] = []
    hidden: list[str] = []
    for listing in listings:
        if listing.visibility(shop).searchable:
            shown.append(search_document(listing, shop))
        else:
            hidden.append(listing.listing_id)
    index.upsert(shown)
    index.remove(hidden)


def reindex_all(session: Session, index: SearchIndex) -> int:
    """Rebuild every document from the read model, e.g. after losing the index file."""
    shops = {shop.shop_id: shop for shop in session.scalars(select(IndexedShop))}
    count = 0
    for listing in session.scalars(select(IndexedListing).execution_options(yield_per=500)):
        project(index, [listing], shops.get(listing.shop_id))
        count += 1
    return count


def search_document(listing: IndexedListing, shop: IndexedShop | None) -> SearchDocument:
    event = ListingUpserted.model_validate(listing.listing)
    return SearchDocument(
        listing_id=event.listing_id,
        shop_id=event.shop_id,
        shop_name=shop.name if shop is not None else None,
        title=event.title,
        author=event.author,
        isbn=event.isbn,
        condition=event.condition,
        description=event.description,
        price_amount=event.price.amount,
        price_currency=event.price.currency,
        quantity=event.quantity,
        created_at=event.created_at,
        updated_at=event.updated_at,
    )


def _locked_listing(session: Session, listing_id: str) -> IndexedListing | None:
    # The row lock (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers) keeps
    # two workers from applying two revisions of one listing in the wrong order, index too.
    return session.get(IndexedListing, listing_id, with_for_update=True)
