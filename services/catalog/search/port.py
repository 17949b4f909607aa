"""The search index port: what the catalog needs from a search engine, and nothing more.

Pure: no SQLite, Meilisearch or Flask here. Every adapter (the embedded SQLite FTS5 one, a
Meilisearch one) implements `SearchIndex` and passes the same contract tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchDocument:
    """One listing as search sees it: only listings a shopper may find are in the index."""

    listing_id: str
    shop_id: str
    shop_name: str | None
    title: str
    author: str | None
    isbn: str | None
    condition: str | None
    description: str
    price_amount: int
    price_currency: str
    quantity: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class SearchQuery:
    """What a shopper asked for.

    Filters (price range, condition, shop, category), facets and sort orders join here as
    fields with defaults, so existing callers and adapters keep working as they grow.
    """

    text: str = ""
    page: int = 1
    per_page: int = 20

    def __post_init__(self) -> None:
        if self.page < 1:
            raise ValueError("page starts at 1")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Highlight:
    """HTML-safe fragments: matched words in <mark>, everything else escaped."""

    title: str
    author: str | None


@dataclass(frozen=True)
class SearchHit:
    document: SearchDocument
    highlight: Highlight


@dataclass(frozen=True)
class SearchResults:
    """One page of hits. `total` counts the hits that can be paged through: an engine may
    cap it for queries matching nearly everything (Meilisearch's maxTotalHits)."""

    hits: Sequence[SearchHit]
    total: int
    page: int
    per_page: int
    query: str = ""


@runtime_checkable
class SearchIndex(Protocol):
    def upsert(self, documents: Iterable[SearchDocument]) -> None:
        """Add or replace documents by listing_id. Applying the same document twice is harmless."""

    def remove(self, listing_ids: Iterable[str]) -> None:
        """Take listings out of search. Unknown ids are ignored."""

    def search(self, query: SearchQuery) -> SearchResults:
        """Relevance-ranked hits for the query's text; an empty text lists newest first."""

    def get(self, listing_id: str) -> SearchDocument | None:
        """The indexed document, or None when it is not (or no longer) searchable."""

    def close(self) -> None:
        """Release connections; the process is done with the index."""
