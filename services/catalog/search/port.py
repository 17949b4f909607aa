"""The search index port: what the catalog needs from a search engine, and nothing more.

Pure: no SQLite, Meilisearch or Flask here. Every adapter (the embedded SQLite FTS5 one, the
Meilisearch one) implements `SearchIndex` and passes the same contract tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import pycountry

from services.catalog.domain import CONDITION_RANKS, condition_rank, work_id
from services.common import geo
from services.common import shipping as shipping_rule

MAX_PER_PAGE = 100
SORTS = ("relevance", "price", "landed_price", "newest", "reputation", "distance")
# Half the Earth's circumference: every place is at most this far.
MAX_DISTANCE_KM = 20_040
# The countries a landed price is worked out for, one by one (ISO 3166 alpha-2).
COUNTRIES = tuple(sorted(country.alpha_2 for country in pycountry.countries))
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
    """A shop's shipping profile, priced by the one rule (services/common/shipping.py)."""

    profile: shipping_rule.Profile

    @property
    def currency(self) -> str:
        return self.profile.currency

    @classmethod
    def of_rates(cls, rates: Mapping[str, Any] | None) -> Shipping | None:
        """From a shop's rates as events carry them (with or without a profile)."""
        profile = shipping_rule.profile_of_rates(rates)
        return None if profile is None else cls(profile)

    @classmethod
    def two_zones(
        cls,
        domestic_first: int,
        international_first: int,
        currency: str,
        *,
        free_over: int | None = None,
    ) -> Shipping:
        """The first-item rates at home and everywhere else, as shops set them before
        profiles (each additional item free)."""
        return cls(
            shipping_rule.from_legacy(
                currency=currency,
                domestic_first=domestic_first,
                domestic_additional=0,
                international_first=international_first,
                international_additional=0,
                free_over=free_over,
            )
        )

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any]) -> Shipping:
        """From `as_stored`, or from the two-zone shape documents kept before profiles."""
        if "regions" in stored:
            return cls(shipping_rule.profile_from_dict(stored))
        return cls.two_zones(
            int(stored["domestic_first"]),
            int(stored["international_first"]),
            str(stored["currency"]),
            free_over=stored.get("free_over"),
        )

    def as_stored(self) -> dict[str, Any]:
        return shipping_rule.profile_as_dict(self.profile)

    def quote(
        self, price: int, *, shop_country: str | None, destination: str
    ) -> shipping_rule.Quote | None:
        """One item priced `price` to `destination` by the cheapest service that reaches it;
        None where the shop does not ship."""
        return shipping_rule.cheapest(
            self.profile, shop_country=shop_country, destination=destination, price=price
        )

    def first_item(self, price: int, *, domestic: bool) -> int:
        """The two-zone figure (cheapest service at home, or in the rest of the world) for
        one item priced `price`: the landed price shown without a destination."""
        group = shipping_rule.HOME if domestic else shipping_rule.WORLD
        regions = self.profile.regions
        region = next((r for r in regions if r.group == group), regions[0] if regions else None)
        if region is None:
            return 0
        if region.free_over is not None and price >= region.free_over:
            return 0
        return region.cheapest().first


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
    # Where the shop is: its town and that town's coordinates (services/common/geo.py).
    shop_town: str | None = None
    shop_latitude: float | None = None
    shop_longitude: float | None = None
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
        """The landed price of one copy sent to `country` by the cheapest service that
        reaches it; None when the shop does not ship there or has not said what it charges
        (in the listing's currency)."""
        found = self.landed_quote_to(country)
        return None if found is None else self.price_amount + found.amount

    def landed_quote_to(self, country: str) -> shipping_rule.Quote | None:
        """The cheapest service that brings one copy to `country`, with its price."""
        if self.shipping is None or self.shipping.currency != self.price_currency:
            return None
        return self.shipping.quote(
            self.price_amount, shop_country=self.shop_country, destination=country
        )

    def ships_to(self, country: str) -> bool:
        """False only when the shop says it does not send parcels to `country`."""
        if self.shipping is None:
            return True
        return self.shipping.profile.ships_to(country, shop_country=self.shop_country)

    def landed_by_country(self) -> dict[str, int]:
        """The landed price to every country the shop ships to (what Meilisearch sorts on)."""
        if self.shipping is None or self.shipping.currency != self.price_currency:
            return {}
        rates = shipping_rule.first_item_by_country(
            self.shipping.profile,
            shop_country=self.shop_country,
            countries=COUNTRIES,
            price=self.price_amount,
        )
        return {country: self.price_amount + rate for country, rate in rates.items()}

    def distance_km(self, near: tuple[float, float] | None) -> float | None:
        if near is None or self.shop_latitude is None or self.shop_longitude is None:
            return None
        return geo.distance_km(near[0], near[1], self.shop_latitude, self.shop_longitude)

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
    # Where the parcel goes (ISO 3166 alpha-2): the landed price counts each shop's cheapest
    # service to it, listings whose rates are unknown sort last, and shops that do not ship
    # there are left out. Without it, the domestic rate.
    ship_to: str | None = None
    # The shopper's place (latitude, longitude): the distance sort measures from it, and
    # `within_km` keeps the shops at most that far.
    near: tuple[float, float] | None = None
    within_km: float | None = None

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
        if self.near is not None:
            lat, lon = self.near
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError("near must be a latitude and a longitude")
        if self.within_km is not None:
            if self.near is None:
                raise ValueError("within_km needs the shopper's place (near)")
            if not 0 < self.within_km <= MAX_DISTANCE_KM:
                raise ValueError(f"within_km must be between 0 and {MAX_DISTANCE_KM}")
        if self.sort == "distance" and self.near is None:
            raise ValueError("sorting by distance needs the shopper's place (near)")

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
