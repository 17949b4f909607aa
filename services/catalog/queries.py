"""Read-side use cases: what the catalog's HTTP API asks of the index and the read model."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.catalog import works
from services.catalog.db import IndexedListing, IndexedShop
from services.catalog.search.port import SearchDocument, SearchIndex, SearchQuery, SearchResults


@dataclass(frozen=True)
class ListingDetail:
    document: SearchDocument
    shop: IndexedShop | None
    offers: int


@dataclass(frozen=True)
class Found:
    results: SearchResults
    # How many copies of each hit's work are for sale, for "3 offers from 2 EUR".
    offers: dict[str, int]


def search(index: SearchIndex, query: SearchQuery) -> Found:
    results = index.search(query)
    counts = index.offer_counts(hit.document.work_id for hit in results.hits)
    return Found(results=results, offers=counts)


def listing_detail(session: Session, index: SearchIndex, listing_id: str) -> ListingDetail | None:
    """The searchable listing with its shop, or None when it cannot be found by a shopper."""
    document = index.get(listing_id)
    if document is None:
        return None
    offers = index.offer_counts([document.work_id]).get(document.work_id, 1)
    shop = session.get(IndexedShop, document.shop_id)
    return ListingDetail(document=document, shop=shop, offers=offers)


def public_shop(session: Session, key: str) -> IndexedShop | None:
    """The shop a public page names by its slug (or, from a search result, by its id).

    A row known only from reviews has no slug yet, and is not shown.
    """
    if not key:
        return None
    return session.scalars(
        select(IndexedShop)
        .where(or_(IndexedShop.slug == key, IndexedShop.shop_id == key), IndexedShop.slug != "")
        # A slug names the shop before an id does.
        .order_by((IndexedShop.slug == key).desc(), IndexedShop.shop_id)
    ).first()


def work(index: SearchIndex, work_id: str) -> works.Work | None:
    return works.summarize(work_id, index.offers(work_id))


def offers(
    index: SearchIndex, work_id: str, *, country: str | None, condition_at_least: str | None
) -> list[works.Offer] | None:
    """Every copy of the work for sale, cheapest delivered first; None for an unknown work."""
    documents = index.offers(work_id)
    if not documents:
        return None
    return works.compare(documents, country=country, condition_at_least=condition_at_least)


def covers(session: Session, listing_ids: list[str]) -> dict[str, dict]:
    """Each listing's cover photo from the read model, for the ids that have one. Removed
    listings have none: their files are deleted with them."""
    if not listing_ids:
        return {}
    query = select(IndexedListing.listing_id, IndexedListing.listing["images"]).where(
        IndexedListing.listing_id.in_(listing_ids), IndexedListing.removed.is_(False)
    )
    return {listing_id: images[0] for listing_id, images in session.execute(query) if images}


def shop_logos(session: Session, shop_ids: set[str]) -> dict[str, dict]:
    """The logo of each shop named that has one: beside the shop's name on its offers and
    search results."""
    if not shop_ids:
        return {}
    query = select(IndexedShop.shop_id, IndexedShop.logo).where(
        IndexedShop.shop_id.in_(sorted(shop_ids))
    )
    return {shop_id: logo for shop_id, logo in session.execute(query) if logo}
