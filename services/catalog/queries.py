"""Read-side use cases: what the catalog's HTTP API asks of the index and the read model."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.catalog.db import IndexedShop
from services.catalog.search.port import SearchDocument, SearchIndex, SearchQuery, SearchResults


@dataclass(frozen=True)
class ListingDetail:
    document: SearchDocument
    shop: IndexedShop | None


def search(index: SearchIndex, *, text: str, page: int, per_page: int) -> SearchResults:
    return index.search(SearchQuery(text=text, page=page, per_page=per_page))


def listing_detail(session: Session, index: SearchIndex, listing_id: str) -> ListingDetail | None:
    """The searchable listing with its shop, or None when it cannot be found by a shopper."""
    document = index.get(listing_id)
    if document is None:
        return None
    return ListingDetail(document=document, shop=session.get(IndexedShop, document.shop_id))
