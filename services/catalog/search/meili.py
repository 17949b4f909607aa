"""The Meilisearch adapter of the search port (official client), chosen by MEILI_URL.

Meilisearch writes are asynchronous tasks. `wait_for_task` returns a failed task without
raising, so every task the caller depends on is waited for and its status checked: a failed
write raises here, the consumer does not commit, and the message is redelivered.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote as url_quote

import meilisearch
from meilisearch.errors import MeilisearchApiError

from services.catalog.search.port import (
    COUNTRIES,
    FACETS,
    MAX_OFFERS,
    Highlight,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
    Shipping,
    identifiers_text,
)
from services.catalog.search.text import terms
from services.common.clock import as_utc

BATCH = 1000
# "Did you mean": at most this many suggestions, read from this many loosely matching hits.
MAX_SUGGESTIONS = 3
MAX_SUGGESTION_HITS = 20
MAX_TOTAL_HITS = 10_000
# Markers Meilisearch puts around matches; the text is escaped before they become <mark>,
# because Meilisearch itself does not escape what it highlights.
_PRE, _POST = "\ue000", "\ue001"
_FACET_FIELDS = {
    "condition": "condition",
    "shop": "shop_id",
    "country": "shop_country",
    "category": "categories",
    "binding": "binding",
}
_SORT_FIELDS = {
    "price": ["price_amount:asc"],
    "landed_price": ["landed_amount:asc"],
    "newest": ["created_ts:desc"],
    # Best average first; of two shops rated alike, the one more buyers reviewed.
    "reputation": ["shop_rating:desc", "shop_reviews:desc"],
}

SETTINGS: dict[str, Any] = {
    # Order is importance: a match in the title ranks above one in the description.
    "searchableAttributes": [
        "title", "identifiers", "author", "publisher", "categories", "description", "shop_name",
    ],
    "filterableAttributes": [
        "shop_id", "shop_country", "condition", "condition_rank", "binding", "categories",
        "price_amount", "quantity", "work_id", "shop_rating", "rated", "ships_to", "_geo",
    ],
    # The landed price to each country is a field of its own (landed_FR, ...): Meilisearch
    # sorts by stored fields, not by an expression of the shopper's country.
    "sortableAttributes": [
        "price_amount", "landed_amount", "created_ts", "shop_rating", "shop_reviews",
        "landed_domestic", "landed_international", "_geo",
        *(f"landed_{country}" for country in COUNTRIES),
    ],
    # "sort" first: a shopper who asks for the cheapest gets the cheapest, not the most
    # relevant of similar price. Without a sort the rule does nothing.
    "rankingRules": ["sort", "words", "typo", "proximity", "attribute", "exactness"],
    "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9}},
    "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
    "faceting": {"maxValuesPerFacet": 100},
}  # fmt: skip


class SearchTaskFailed(RuntimeError):
    """Meilisearch accepted a write and then failed it."""


class MeiliSearchIndex:
    """A `SearchIndex` over one Meilisearch index."""

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        index_uid: str = "listings",
        timeout_ms: int = 30_000,
        client: meilisearch.Client | None = None,
    ) -> None:
        self.client = client or meilisearch.Client(url, api_key, timeout=30)
        self.url, self.api_key, self.uid = url, api_key, index_uid
        self.timeout_ms = timeout_ms
        self.index = self.client.index(index_uid)
        self.apply_settings()

    def apply_settings(self) -> None:
        """Create the index if needed and apply SETTINGS; idempotent, run on every start."""
        try:
            self.client.get_index(self.uid)
        except MeilisearchApiError as error:
            if error.code != "index_not_found":
                raise
            self._wait(self.client.create_index(self.uid, {"primaryKey": "listing_id"}).task_uid)
        self._wait(self.index.update_settings(SETTINGS).task_uid)

    # --- the port ---------------------------------------------------------------------

    def upsert(self, documents: Iterable[SearchDocument]) -> None:
        batch = [to_json(document) for document in documents]
        tasks = [
            self.index.add_documents(batch[i : i + BATCH], primary_key="listing_id").task_uid
            for i in range(0, len(batch), BATCH)
        ]
        for task in tasks:
            self._wait(task)

    def remove(self, listing_ids: Iterable[str]) -> None:
        ids = list(listing_ids)
        if ids:
            self._wait(self.index.delete_documents(ids).task_uid)

    def search(self, query: SearchQuery) -> SearchResults:
        body = self.index.search(query.text, search_params(query))
        hits = [_hit(raw) for raw in body.get("hits", [])]
        suggested: list[str] = []
        if not hits and query.text.strip():
            # "Did you mean": the words Meilisearch's own typo tolerance matches when any
            # one of the query's words may match (the search above wanted them all).
            relaxed = self.index.search(query.text, suggestion_params(query))
            suggested = suggestions_from(query.text, relaxed.get("hits", []))
        facets = {
            name: dict(body.get("facetDistribution", {}).get(_FACET_FIELDS[name], {}))
            for name in query.facets
        }
        return SearchResults(
            hits=hits,
            total=int(body.get("totalHits", len(hits))),
            page=query.page,
            per_page=query.per_page,
            query=query.text,
            facets=facets,
            suggestions=suggested,
        )

    def get(self, listing_id: str) -> SearchDocument | None:
        try:
            found = self.index.get_document(url_quote(listing_id, safe=""))
        except MeilisearchApiError as error:
            if error.code == "document_not_found":
                return None
            raise
        return from_json(dict(found))

    def offers(self, work_id: str) -> list[SearchDocument]:
        body = self.index.search(
            "",
            {
                "filter": f"work_id = {quote(work_id)}",
                "sort": ["landed_amount:asc", "price_amount:asc"],
                "limit": MAX_OFFERS,
            },
        )
        return [from_json(raw) for raw in body.get("hits", [])]

    def offer_counts(self, work_ids: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(work_ids))
        if not wanted:
            return {}
        body = self.index.search(
            "",
            {"filter": f"work_id IN [{', '.join(quote(w) for w in wanted)}]", "facets": ["work_id"],
             "limit": 0},
        )  # fmt: skip
        return dict(body.get("facetDistribution", {}).get("work_id", {}))

    def build_replacement(self) -> MeiliSearchIndex:
        return MeiliSearchIndex(
            self.url,
            api_key=self.api_key,
            index_uid=f"{self.uid}-{uuid.uuid4().hex[:12]}",
            timeout_ms=self.timeout_ms,
            client=self.client,
        )

    def swap_in(self, replacement: MeiliSearchIndex) -> None:  # type: ignore[override]
        # Swapping exchanges the two indexes' contents atomically; the old content, now under
        # the replacement's name, is then deleted.
        self._wait(self.client.swap_indexes([{"indexes": [self.uid, replacement.uid]}]).task_uid)
        self._wait(self.client.delete_index(replacement.uid).task_uid)

    def close(self) -> None:
        """Nothing to release: the client holds no connection between requests."""

    def _wait(self, task_uid: int) -> None:
        task = self.client.wait_for_task(task_uid, timeout_in_ms=self.timeout_ms)
        if task.status != "succeeded":
            raise SearchTaskFailed(f"Meilisearch task {task_uid} {task.status}: {task.error}")


def search_params(query: SearchQuery) -> dict[str, Any]:
    """The body of POST /indexes/<uid>/search for a query."""
    params: dict[str, Any] = {
        "page": query.page,
        "hitsPerPage": query.per_page,
        # Every word must match, as in the embedded index (Meilisearch's default drops the
        # last words when too few documents hold them all).
        "matchingStrategy": "all",
        "attributesToHighlight": ["title", "author"],
        "highlightPreTag": _PRE,
        "highlightPostTag": _POST,
    }
    filters = filter_expressions(query)
    if filters:
        params["filter"] = filters
    if query.facets:
        params["facets"] = [_FACET_FIELDS[name] for name in query.facets if name in FACETS]
    sort = query.effective_sort
    if sort == "landed_price" and query.ship_to:
        params["sort"] = [landed_sort(query)]
    elif sort == "distance" and query.near is not None:
        params["sort"] = [f"_geoPoint({_coordinates(query.near)}):asc"]
    elif sort in _SORT_FIELDS:
        params["sort"] = list(_SORT_FIELDS[sort])
    return params


def landed_sort(query: SearchQuery) -> str:
    """The landed-price sort for a shopper in `query.ship_to`: each document keeps its
    landed price to every country its shop ships to (landed_FR, ...); documents without one
    (rates unknown, or in another currency) lack the field and Meilisearch sorts them last."""
    assert query.ship_to is not None
    return f"landed_{query.ship_to}:asc"


def suggestion_params(query: SearchQuery) -> dict[str, Any]:
    """A search that lets any word match, for the words Meilisearch's typo matching finds."""
    return {
        "limit": MAX_SUGGESTION_HITS,
        "matchingStrategy": "last",
        "attributesToRetrieve": ["title", "author"],
        "attributesToHighlight": [],
        "showMatchesPosition": True,
    }


def suggestions_from(text: str, hits: Iterable[Mapping[str, Any]]) -> list[str]:
    """Other spellings of `text`: each word the query had replaced by the indexed word that
    matched it (by Meilisearch's typo tolerance), at most MAX_SUGGESTIONS, best hit first."""
    typed = terms(text)
    found: list[str] = []
    for raw in hits:
        matched: dict[str, str] = {}
        for field, positions in (raw.get("_matchesPosition") or {}).items():
            value = raw.get(field)
            if not isinstance(value, str):
                continue
            for position in positions:
                start, length = int(position["start"]), int(position["length"])
                word = value.encode()[start : start + length].decode(errors="ignore")
                for folded in terms(word):
                    closest = _closest(folded, typed)
                    if closest is not None:
                        matched.setdefault(closest, folded)
        if not matched:
            continue
        suggestion = " ".join(matched.get(word, word) for word in typed)
        if suggestion != " ".join(typed) and suggestion not in found:
            found.append(suggestion)
        if len(found) == MAX_SUGGESTIONS:
            break
    return found


def _closest(word: str, typed: list[str]) -> str | None:
    """The typed word `word` stands for: the one it begins with or differs least from."""
    best, distance = None, 3
    for candidate in typed:
        gap = _edits(candidate, word[: len(candidate) + 2])
        if gap < distance:
            best, distance = candidate, gap
    return best


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, for the few short words of a query."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _coordinates(near: tuple[float, float]) -> str:
    return f"{float(near[0]):.6f}, {float(near[1]):.6f}"


def filter_expressions(query: SearchQuery) -> list[str]:
    """Meilisearch filters, ANDed as a list; every value quoted and escaped."""
    filters: list[str] = []
    if query.price_min is not None:
        filters.append(f"price_amount >= {int(query.price_min)}")
    if query.price_max is not None:
        filters.append(f"price_amount <= {int(query.price_max)}")
    if query.min_condition_rank is not None:
        filters.append(f"condition_rank >= {int(query.min_condition_rank)}")
    if query.in_stock:
        filters.append("quantity > 0")
    if query.rating_at_least is not None:
        filters.append(f"shop_rating >= {float(query.rating_at_least)}")
    if query.ship_to:
        # A shop that states its rates ships only where a region reaches; others may.
        filters.append(f"(rated = false OR ships_to = {quote(query.ship_to)})")
    if query.within_km is not None and query.near is not None:
        filters.append(
            f"_geoRadius({_coordinates(query.near)}, {int(round(query.within_km * 1000))})"
        )
    for field, values in (
        ("condition", query.conditions),
        ("shop_id", query.shops),
        ("shop_country", query.countries),
        ("categories", query.categories),
        ("binding", query.bindings),
    ):
        if values:
            filters.append(f"{field} IN [{', '.join(quote(value) for value in values)}]")
    return filters


def quote(value: str) -> str:
    """A filter string literal: double quotes, with backslashes and quotes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_json(document: SearchDocument) -> dict[str, Any]:
    created = as_utc(document.created_at)
    shipping = document.shipping
    landed = document.landed_by_country()
    geo_point = (
        {"_geo": {"lat": document.shop_latitude, "lng": document.shop_longitude}}
        if document.shop_latitude is not None and document.shop_longitude is not None
        else {}
    )
    return geo_point | {
        "listing_id": document.listing_id,
        "shop_id": document.shop_id,
        "shop_name": document.shop_name,
        "shop_country": document.shop_country,
        "title": document.title,
        "author": document.author,
        "isbn": document.isbn,
        "identifiers": identifiers_text(document.isbn),
        "publisher": document.publisher,
        "year": document.year,
        "binding": document.binding,
        "categories": list(document.categories),
        "photos": list(document.photos),
        "images": list(document.images),
        "condition": document.condition,
        "condition_rank": document.condition_rank,
        "condition_notes": document.condition_notes,
        "description": document.description,
        "price_amount": document.price_amount,
        "price_currency": document.price_currency,
        "landed_amount": document.landed_amount,
        # Null where the rates are unknown: Meilisearch sorts those last.
        "landed_domestic": document.landed_amount_by(domestic=True),
        "landed_international": document.landed_amount_by(domestic=False),
        "shipping": None if shipping is None else shipping.as_stored(),
        "rated": shipping is not None,
        "ships_to": sorted(landed),
        **{f"landed_{country}": amount for country, amount in landed.items()},
        "shop_town": document.shop_town,
        "quantity": document.quantity,
        "work_id": document.work_id,
        "created_at": created.isoformat(),
        "created_ts": int(created.timestamp() * 1_000_000),
        "updated_at": as_utc(document.updated_at).isoformat(),
        "shop_rating": document.shop_rating,
        "shop_reviews": document.shop_reviews,
    }


def from_json(raw: Mapping[str, Any]) -> SearchDocument:
    shipping = raw.get("shipping")
    return SearchDocument(
        listing_id=raw["listing_id"],
        shop_id=raw["shop_id"],
        shop_name=raw.get("shop_name"),
        shop_country=raw.get("shop_country"),
        title=raw["title"],
        author=raw.get("author"),
        isbn=raw.get("isbn"),
        publisher=raw.get("publisher"),
        year=raw.get("year"),
        binding=raw.get("binding"),
        categories=tuple(raw.get("categories") or ()),
        photos=tuple(raw.get("photos") or ()),
        images=tuple(raw.get("images") or ()),
        condition=raw.get("condition"),
        condition_notes=raw.get("condition_notes") or "",
        description=raw.get("description") or "",
        price_amount=raw["price_amount"],
        price_currency=raw["price_currency"],
        shipping=None if not shipping else Shipping.from_stored(shipping),
        quantity=raw["quantity"],
        work_id=raw.get("work_id") or "",
        created_at=datetime.fromisoformat(raw["created_at"]),
        updated_at=datetime.fromisoformat(raw["updated_at"]),
        shop_rating=float(raw.get("shop_rating") or 0.0),
        shop_reviews=int(raw.get("shop_reviews") or 0),
        shop_town=raw.get("shop_town"),
        shop_latitude=(raw.get("_geo") or {}).get("lat"),
        shop_longitude=(raw.get("_geo") or {}).get("lng"),
    )


def marked(fragment: str | None) -> str | None:
    """Meilisearch's highlighted text made HTML-safe, its markers turned into <mark>."""
    if fragment is None:
        return None
    escaped = html.escape(fragment)
    return escaped.replace(_PRE, "<mark>").replace(_POST, "</mark>")


def _hit(raw: Mapping[str, Any]) -> SearchHit:
    formatted = raw.get("_formatted") or {}
    document = from_json(raw)
    title = marked(formatted.get("title")) or html.escape(document.title)
    author = marked(formatted.get("author")) if document.author is not None else None
    return SearchHit(document=document, highlight=Highlight(title=title, author=author))
