"""The search index port: what the catalog needs from a search engine, and nothing more.

Pure: no SQLite, Meilisearch or Flask here. Every adapter (the embedded SQLite FTS5 one, the
Meilisearch one) implements `SearchIndex` and passes the same contract tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from services.catalog.domain import CONDITION_RANKS, condition_rank, work_id

MAX_PER_PAGE = 100
SORTS = ("relevance", "price", "landed_price", "newest", "reputation")
MAX_RATING = 5
FACETS = ("condition", "shop", "country", "category", "binding")
# Offers of one work listed at most (nobody compares more than this many copies at once).
MAX_OFFERS = 1000


def identifiers_text(isbn: str | None) -> str | None:
    """What both adapters index for an ISBN: searchable as typed, with or without dashes."""
    if not isbn:
        return None
    if isbn.isalnum():
        return isbn  # typed without dashes: one form is enough
    compact = "".join(ch for ch in isbn if ch.isalnum())
    return f"{compact} {isbn}"


@dataclass(frozen=True)
class Shipping:
    """A shop's first-item rates, in minor units of `currency`."""

    domestic_first: int
    international_first: int
    currency: str
    # An item priced at least this ships for free (the shop's free-shipping amount).
    free_over: int | None = None

    def first_item(self, price: int, *, domestic: bool) -> int:
        """The rate for one item priced `price` (in this currency)."""
        if self.free_over is not None and price >= self.free_over:
            return 0
        return self.domestic_first if domestic else self.international_first


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
    publisher: str | None = None
    year: int | None = None
    binding: str | None = None
    categories: tuple[str, ...] = ()
    photos: tuple[str, ...] = ()
    # The shop's uploaded photos, cover first (ListingImage's fields as dicts).
    images: tuple[dict[str, Any], ...] = ()
    condition_notes: str = ""
    shop_country: str | None = None
    shipping: Shipping | None = None
    # The shop's average rating from its buyers' reviews (0 before the first) and their number.
    shop_rating: float = 0.0
    shop_reviews: int = 0
    # Copies of one book share it (see domain.work_id); computed when not given.
    work_id: str = ""

    def __post_init__(self) -> None:
        if not self.work_id:
            computed = work_id(isbn=self.isbn, title=self.title, author=self.author)
            object.__setattr__(self, "work_id", computed)

    @property
    def landed_amount(self) -> int:
        """Price plus the shop's domestic first-item rate: the default landed price."""
        if self.shipping is None or self.shipping.currency != self.price_currency:
            return self.price_amount
        return self.price_amount + self.shipping.first_item(self.price_amount, domestic=True)

    def landed_amount_by(self, *, domestic: bool) -> int | None:
        """Price plus the domestic or the international first-item rate; None when the shop
        has not said what it charges (or charges in another currency)."""
        if self.shipping is None or self.shipping.currency != self.price_currency:
            return None
        return self.price_amount + self.shipping.first_item(self.price_amount, domestic=domestic)

    def landed_amount_to(self, country: str) -> int | None:
        """The landed price of a parcel to `country`: the domestic rate from a shop in that
        country, the international one from any other."""
        domestic = (self.shop_country or "").upper() == country.upper()
        return self.landed_amount_by(domestic=domestic)

    @property
    def condition_rank(self) -> int | None:
        return condition_rank(self.condition)


@dataclass(frozen=True)
class SearchQuery:
    """What a shopper asked for: text, filters, which facets to count, an order, a page.

    Within one filter the values are alternatives (shop A or shop B); filters combine with AND.
    """

    text: str = ""
    page: int = 1
    per_page: int = 20
    price_min: int | None = None
    price_max: int | None = None
    condition_at_least: str | None = None
    conditions: tuple[str, ...] = ()
    shops: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    bindings: tuple[str, ...] = ()
    in_stock: bool = False
    sort: str = "relevance"
    facets: tuple[str, ...] = ()
    # Only listings of shops whose average rating is at least this (shops without reviews
    # have none, so any minimum leaves them out).
    rating_at_least: float | None = None
    # Where the parcel goes (ISO 3166 alpha-2): the landed price counts each shop's rate to
    # it, and listings whose rates are unknown sort last. Without it, the domestic rate.
    ship_to: str | None = None

    def __post_init__(self) -> None:
        if self.page < 1:
            raise ValueError("page starts at 1")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        if self.condition_at_least is not None and self.condition_at_least not in CONDITION_RANKS:
            raise ValueError(f"condition_at_least must be one of {', '.join(CONDITION_RANKS)}")
        unknown = set(self.facets) - set(FACETS)
        if unknown:
            raise ValueError(f"facets must be among {', '.join(FACETS)}")
        for name in ("price_min", "price_max"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} cannot be negative")
        if self.price_min is not None and self.price_max is not None:
            if self.price_min > self.price_max:
                raise ValueError("price_min is above price_max")
        if self.rating_at_least is not None and not 0 <= self.rating_at_least <= MAX_RATING:
            raise ValueError(f"rating_at_least must be between 0 and {MAX_RATING}")
        if self.ship_to is not None:
            if len(self.ship_to) != 2 or not self.ship_to.isascii() or not self.ship_to.isalpha():
                raise ValueError("ship_to must be a two-letter country code")
            object.__setattr__(self, "ship_to", self.ship_to.upper())

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def min_condition_rank(self) -> int | None:
        return condition_rank(self.condition_at_least)

    @property
    def effective_sort(self) -> str:
        # With no words there is nothing to rank by relevance: newest first instead.
        return "newest" if self.sort == "relevance" and not self.text.strip() else self.sort


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
    cap it for queries matching nearly everything (Meilisearch's maxTotalHits), and facets
    count over those same hits. `suggestions` are other spellings to try when nothing
    matched ("did you mean")."""

    hits: Sequence[SearchHit]
    total: int
    page: int
    per_page: int
    query: str = ""
    facets: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    suggestions: Sequence[str] = ()


@runtime_checkable
class SearchIndex(Protocol):
    def upsert(self, documents: Iterable[SearchDocument]) -> None:
        """Add or replace documents by listing_id, in one write. Applying one twice is harmless."""

    def remove(self, listing_ids: Iterable[str]) -> None:
        """Take listings out of search. Unknown ids are ignored."""

    def search(self, query: SearchQuery) -> SearchResults:
        """Ranked, filtered, sorted hits with facet counts; an empty text lists newest first."""

    def get(self, listing_id: str) -> SearchDocument | None:
        """The indexed document, or None when it is not (or no longer) searchable."""

    def offers(self, work_id: str) -> list[SearchDocument]:
        """Every indexed copy of one work (at most MAX_OFFERS), cheapest first."""

    def offer_counts(self, work_ids: Iterable[str]) -> dict[str, int]:
        """How many copies of each work are indexed; works with none are left out."""

    def build_replacement(self) -> SearchIndex:
        """A new, empty index beside this one, to fill and then `swap_in` (a rebuild)."""

    def swap_in(self, replacement: SearchIndex) -> None:
        """Make `replacement` the live index atomically; readers never see it half built."""

    def close(self) -> None:
        """Release connections; the process is done with the index."""
