"""How the embedded index answers a query: candidates, filters, facets, order, suggestions.

Ranking cost grows with every matching row, and a common word ("the") matches most of them.
So a query ranks only the most recently indexed `cap` matches (FTS5 walks its index in rowid
order and stops there); filters, facets and the total apply to those candidates (a
candidate that fails a filter is kept out, not replaced by an older match), as
Meilisearch's maxTotalHits bounds what it pages through. The candidates' narrow columns go
to a temporary table, where SQLite orders the page: no Python object is made of a
candidate's ranking columns, only of the facet values counted.

Matches come in tiers, each ranked below the one before, as Meilisearch's "exactness" and
"typo" rules rank them: the words as typed (the last one whole), then the longer words the
last one begins (the shopper may still be typing it), then misspellings. A later tier is
looked for only while the earlier ones leave room among the candidates. A prefix that
begins many words is the dearest thing to match (FTS5 merges the lists of every word it
begins, and bm25 merges them again to count them): a word typed in full that fills the
candidates never pays for it.

A query of one short prefix (the shopper is still typing its first word) is ranked by the
best field it matches in rather than by bm25, which would count every document the prefix
begins a word of, on every keystroke; see _rank_by_attribute.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from services.catalog.search.embedded_schema import BM25, PREFIX_LENGTHS, SEPARATOR, WEIGHTS
from services.catalog.search.embedded_vocab import (
    begins_other_words,
    corrections,
    document_frequency,
)
from services.catalog.search.port import SearchQuery
from services.catalog.search.text import fts5_match, terms

_CANDIDATES = """
CREATE TEMP TABLE IF NOT EXISTS search_candidates (
    id INTEGER PRIMARY KEY, kept INTEGER, tier INTEGER, score REAL, price_amount INTEGER,
    landed INTEGER, created_us INTEGER, shop_rating REAL, shop_reviews INTEGER,
    distance REAL,
    condition TEXT, shop_id TEXT, shop_country TEXT, binding TEXT, categories TEXT
)
"""
# What each order reads, in the table's order (price_amount, landed, created_us, shop_rating,
# shop_reviews, distance); the others stay NULL, as every column read from a wide row costs.
_RANKED = {
    "relevance": "NULL, NULL, NULL, NULL, NULL, NULL",
    "price": "d.price_amount, NULL, NULL, NULL, NULL, NULL",
    "landed_price": "NULL, {landed}, NULL, NULL, NULL, NULL",
    "newest": "NULL, NULL, d.created_us, NULL, NULL, NULL",
    "reputation": "NULL, NULL, NULL, d.shop_rating, d.shop_reviews, NULL",
    "distance": "NULL, NULL, NULL, NULL, NULL, {distance}",
}
_FACETED = "d.condition, d.shop_id, d.shop_country, d.binding, d.categories"
_UNFACETED = "NULL, NULL, NULL, NULL, NULL"
# The landed price to the shopper's country: the price plus the shop's cheapest service
# there (services/common/shipping.py, kept per country in shop_rates), nothing from the
# region's free-shipping amount up; NULL (last) where the rates are unknown or in another
# currency. Documents written before shop_rates keep their two-zone prices.
_LANDED_TO = (
    "CASE WHEN d.rates_key IS NOT NULL THEN (SELECT d.price_amount + CASE WHEN r.free_over "
    "IS NOT NULL AND d.price_amount >= r.free_over THEN 0 ELSE r.rate END FROM shop_rates r "
    "WHERE r.rates_key = d.rates_key AND r.country = :ship_to "
    "AND r.currency = d.price_currency) "
    "WHEN upper(d.shop_country) = :ship_to THEN d.landed_domestic "
    "ELSE d.landed_international END"
)
# A shop that states its rates and has none to the shopper's country does not ship there.
_SHIPS_TO = (
    "(d.rates_key IS NULL OR EXISTS (SELECT 1 FROM shop_rates r "
    "WHERE r.rates_key = d.rates_key AND r.country = :ship_to))"
)
# The squared distance in km on an equirectangular projection around the shopper: exact
# enough to order shops and to tell "within 50 km" (off by well under 1% at such distances),
# and plain arithmetic, which SQLite has without its math functions.
KM_PER_DEGREE = 111.195
_DISTANCE = (
    "((d.shop_lat - :near_lat) * (d.shop_lat - :near_lat) * :km2 + "
    "(d.shop_lon - :near_lon) * (d.shop_lon - :near_lon) * :km2_lon)"
)
_FACET_COLUMN = {
    "condition": "condition",
    "shop": "shop_id",
    "country": "shop_country",
    "binding": "binding",
    "category": "categories",
}
_ORDER = {
    "relevance": "tier, score, id DESC",
    "price": "price_amount, tier, score, id DESC",
    "landed_price": "landed IS NULL, landed, tier, score, id DESC",
    "newest": "created_us DESC, id DESC",
    # Best average first; of two shops rated alike, the one more buyers reviewed.
    "reputation": "shop_rating DESC, shop_reviews DESC, tier, score, id DESC",
    # Nearest first; shops whose place is unknown last.
    "distance": "distance IS NULL, distance, tier, score, id DESC",
}
# The fields in the order the "attribute" rule ranks them: as Meilisearch's
# searchableAttributes, the most heavily weighted first.
_ATTRIBUTES = tuple(sorted(WEIGHTS, key=lambda field: -WEIGHTS[field]))
_UNRANKED = len(_ATTRIBUTES) - 1
# The tiers of matches, best first.
_WHOLE, _BEGUN, _MISSPELT = 0, 1, 2
MAX_SUGGESTIONS = 3
MAX_CORRECTIONS_TRIED = 5


@dataclass(frozen=True)
class Candidates:
    page_ids: list[int]
    total: int
    facets: dict[str, dict[str, int]]
    corrections: dict[str, list[str]]


@dataclass(frozen=True)
class _Plan:
    """What every tier of a query's matches is filtered, fetched and scored by."""

    where: str
    params: dict[str, Any]
    columns: str
    score: str
    by_attribute: bool
    needed: int
    cap: int


def candidates(connection: sqlite3.Connection, query: SearchQuery, *, cap: int) -> Candidates:
    where, params = _filters(query)
    landed = _LANDED_TO if query.ship_to else "d.landed_amount"
    params["ship_to"] = query.ship_to
    ranked = _RANKED[query.effective_sort].format(landed=landed, distance=_DISTANCE)
    columns = ranked + ", " + (_FACETED if query.facets else _UNFACETED)
    words = terms(query.text)
    fixes: dict[str, list[str]] = {}
    connection.execute(_CANDIDATES)
    connection.execute("DELETE FROM temp.search_candidates")
    # Relevance is only worth computing when it orders the page.
    relevance = query.effective_sort == "relevance"
    by_attribute = relevance and len(words) == 1 and len(words[0]) <= max(PREFIX_LENGTHS)
    # Ranked by attribute, every candidate starts in the last field and is moved up.
    score = f"{_UNRANKED:d}" if by_attribute else BM25 if relevance else "0.0"
    plan = _Plan(where, params, columns, score, by_attribute, query.offset + query.per_page, cap)
    if not words:
        connection.execute(
            f"INSERT INTO temp.search_candidates SELECT d.id, 1, 0, 0.0, {columns} "
            f"FROM documents d WHERE {where} ORDER BY d.id DESC LIMIT :cap",
            {**params, "cap": cap},
        )
    else:
        completions = _completions(connection, words[-1])
        whole = fts5_match(query.text, completions=[])
        window = _matching(connection, plan, whole, _WHOLE, score, cap)
        if by_attribute:
            _rank_by_attribute(connection, whole, _WHOLE, plan.needed)
        if completions is None and window < cap:
            window = _add_tier(connection, plan, fts5_match(query.text), _BEGUN, window)
        # Misspelt matches rank after every exact one, as Meilisearch's "typo" rule does, so
        # when the exact ones already fill the candidates (before filters, which apply to the
        # candidates) no correction would be seen.
        if window < cap:
            fixes = {
                w: fixed for w in dict.fromkeys(words) if (fixed := corrections(connection, w))
            }
        if fixes:
            tolerant = fts5_match(query.text, fixes, completions=completions)
            _add_tier(connection, plan, tolerant, _MISSPELT, window)
    page_ids = [
        row[0]
        for row in connection.execute(
            f"SELECT id FROM temp.search_candidates WHERE kept "
            f"ORDER BY {_ORDER[query.effective_sort]} LIMIT :limit OFFSET :offset",
            {"limit": query.per_page, "offset": query.offset},
        )
    ]
    total, facets = _count(connection, query.facets)
    return Candidates(page_ids=page_ids, total=total, facets=facets, corrections=fixes)


def _add_tier(
    connection: sqlite3.Connection, plan: _Plan, match: str | None, tier: int, window: int
) -> int:
    """Add the newest matches of a later tier that no earlier tier found, up to the cap;
    how many candidates there are then."""
    (kept,) = connection.execute(
        "SELECT count(*) FROM temp.search_candidates WHERE kept"
    ).fetchone()
    # Their order only shows when the earlier tiers leave room on the page; otherwise scoring
    # them would only make bm25 count the documents of every word once more.
    score = "0.0" if kept >= plan.needed else plan.score
    window += _matching(connection, plan, match, tier, score, plan.cap - window, again=False)
    if plan.by_attribute and score != "0.0":
        _rank_by_attribute(connection, match, tier, plan.needed)
    return window


def suggestions(connection: sqlite3.Connection, query: SearchQuery) -> list[str]:
    """Other spellings of a query that found nothing, each of which finds something."""
    words = terms(query.text)
    if not words:
        return []
    frequency = document_frequency(connection, words)
    options: list[list[str]] = []
    for word in words:
        if frequency.get(word):
            options.append([word])
        else:
            options.append(corrections(connection, word, typos=1 if len(word) < 5 else 2) or [word])
    found: list[str] = []
    for choice in range(MAX_CORRECTIONS_TRIED):
        text = " ".join(o[min(choice, len(o) - 1)] for o in options)
        if text == " ".join(words) or text in found:
            continue
        match = fts5_match(text)
        if (
            match
            and connection.execute(
                "SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT 1", (match,)
            ).fetchone()
        ):
            found.append(text)
        if len(found) == MAX_SUGGESTIONS:
            break
    return found


def _completions(connection: sqlite3.Connection, prefix: str) -> list[str] | None:
    """[] when the last word is longer than any indexed prefix and begins no longer word.

    FTS5 answers such a prefix by merging the whole list of every word it begins into a new
    one, and bm25 merges them again to count the documents: for a common word typed in full
    ("history") that is most of the query's cost. When the word is the only one it begins,
    matching it as a word finds the same documents with the same bm25, read lazily, newest
    first, without a copy. Several words are left to the prefix (None): as an OR of words,
    bm25 would weigh each by its own rarity and rank a rare longer word above the word typed.
    """
    if len(prefix) <= max(PREFIX_LENGTHS):
        return None
    return None if begins_other_words(connection, prefix) else []


def _rank_by_attribute(connection: sqlite3.Connection, match: str, tier: int, needed: int) -> None:
    """Score the candidates of `tier` by the first of _ATTRIBUTES `match` finds them in.

    This is Meilisearch's "attribute" rule (a title match before an author match before a
    description match), and it costs one pass per field over the index entries of the
    candidates' rowid range only, where bm25 reads the prefix's whole list. The passes stop
    once `needed` kept candidates rank at or above the field: the page is then settled, and
    only how far below it the others rank is left unknown. The last field needs no pass: a
    candidate the others did not find is matched there.
    """
    lowest = connection.execute(
        "SELECT min(id) FROM temp.search_candidates WHERE tier = ?", (tier,)
    ).fetchone()[0]
    if lowest is None:
        return
    for rank, field in enumerate(_ATTRIBUTES[:-1]):
        values = {"tier": tier, "rank": rank, "unranked": _UNRANKED, "lowest": lowest}
        connection.execute(
            "UPDATE temp.search_candidates SET score = :rank "
            "WHERE tier = :tier AND score = :unranked AND id IN (SELECT rowid FROM "
            "documents_fts WHERE documents_fts MATCH :match AND rowid >= :lowest)",
            {**values, "match": f"{{{field}}} : ({match})"},
        )
        ahead, unranked = connection.execute(
            "SELECT count(*) FILTER (WHERE kept AND (tier < :tier OR score <= :rank)), "
            "count(*) FILTER (WHERE tier = :tier AND score = :unranked) "
            "FROM temp.search_candidates",
            values,
        ).fetchone()
        if ahead >= needed or not unranked:
            return


def _matching(
    connection: sqlite3.Connection,
    plan: _Plan,
    match: str | None,
    tier: int,
    score: str,
    cap: int,
    *,
    again: bool = True,
) -> int:
    """Add the newest `cap` documents matching `match`, marked kept when they pass the
    filters; how many were added. Without `again`, only documents not added yet: scoring and
    fetching those again cost as much as the first pass. They are left out by rowid rather
    than with NOT (earlier tiers), which would make bm25 count the documents of every
    earlier word again."""
    new = "" if again else "AND rowid NOT IN (SELECT id FROM temp.search_candidates) "
    sql = (
        f"INSERT OR IGNORE INTO temp.search_candidates SELECT c.id, ({plan.where}), {tier:d}, "
        f"c.score, {plan.columns} FROM (SELECT rowid AS id, {score} AS score FROM "
        f"documents_fts WHERE documents_fts MATCH :match {new}ORDER BY rowid DESC LIMIT :cap) c "
        "JOIN documents d ON d.id = c.id"
    )
    return connection.execute(sql, {**plan.params, "match": match, "cap": cap}).rowcount


def _filters(query: SearchQuery) -> tuple[str, dict[str, Any]]:
    clauses = ["1"]
    params: dict[str, Any] = {}
    if query.price_min is not None:
        clauses.append("d.price_amount >= :price_min")
        params["price_min"] = query.price_min
    if query.price_max is not None:
        clauses.append("d.price_amount <= :price_max")
        params["price_max"] = query.price_max
    if query.min_condition_rank is not None:
        clauses.append("d.condition_rank >= :condition_rank")
        params["condition_rank"] = query.min_condition_rank
    if query.in_stock:
        clauses.append("d.quantity > 0")
    if query.rating_at_least is not None:
        clauses.append("d.shop_rating >= :rating_at_least")
        params["rating_at_least"] = query.rating_at_least
    for column, values in (
        ("condition", query.conditions),
        ("shop_id", query.shops),
        ("shop_country", query.countries),
        ("binding", query.bindings),
    ):
        if values:
            names = [f"{column}_{n}" for n in range(len(values))]
            clauses.append(f"d.{column} IN ({', '.join(':' + n for n in names)})")
            params.update(zip(names, values, strict=True))
    if query.ship_to:
        clauses.append(_SHIPS_TO)
    if query.near is not None:
        lat, lon = query.near
        params.update(
            near_lat=lat,
            near_lon=lon,
            km2=KM_PER_DEGREE**2,
            km2_lon=(KM_PER_DEGREE * math.cos(math.radians(lat))) ** 2,
        )
    if query.within_km is not None and query.near is not None:
        lat, lon = query.near
        # A box around the circle first: two range tests that rule out most shops cheaply.
        reach = query.within_km / KM_PER_DEGREE
        reach_lon = reach / max(math.cos(math.radians(lat)), 0.01)
        clauses.append(
            "d.shop_lat BETWEEN :lat_low AND :lat_high "
            "AND d.shop_lon BETWEEN :lon_low AND :lon_high "
            f"AND {_DISTANCE} <= :within2"
        )
        params.update(
            lat_low=lat - reach,
            lat_high=lat + reach,
            lon_low=lon - reach_lon,
            lon_high=lon + reach_lon,
            within2=query.within_km**2,
        )
    if query.categories:
        names = [f"category_{n}" for n in range(len(query.categories))]
        clauses.append("(" + " OR ".join(f"instr(d.categories, :{n}) > 0" for n in names) + ")")
        params.update(
            {n: f"{SEPARATOR}{v}{SEPARATOR}" for n, v in zip(names, query.categories, strict=True)}
        )
    return " AND ".join(clauses), params


def _count(
    connection: sqlite3.Connection, wanted: Sequence[str]
) -> tuple[int, dict[str, dict[str, int]]]:
    """How many candidates passed the filters, and the facet counts over them."""
    # Each facet's values come back as one joined string: splitting and counting it stay in C,
    # where a Python tuple per candidate, or a GROUP BY (a sort) per facet, costs several times
    # more. A category list is already joined by SEPARATOR, so each category counts apart; no
    # other facet value holds SEPARATOR, a control character nobody types.
    joined = "".join(f", group_concat({_FACET_COLUMN[name]}, :separator)" for name in wanted)
    total, *values = connection.execute(
        f"SELECT count(*){joined} FROM temp.search_candidates WHERE kept",
        {"separator": SEPARATOR},
    ).fetchone()
    facets: dict[str, dict[str, int]] = {}
    for name, joined_values in zip(wanted, values, strict=True):
        counts = Counter(joined_values.split(SEPARATOR)) if joined_values else Counter()
        counts.pop("", None)  # empty values, and the ends of each category list
        # Most frequent first; ties alphabetically (sorted is stable).
        facets[name] = dict(sorted(sorted(counts.items()), key=itemgetter(1), reverse=True))
    return total, facets
