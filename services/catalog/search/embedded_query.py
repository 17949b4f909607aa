"""How the embedded index answers a query: candidates, filters, facets, order, suggestions.

Ranking cost grows with every matching row, and a common word ("the") matches most of them.
So a query ranks only the most recently indexed `cap` matches (FTS5 walks its index in rowid
order and stops there); filters, facets and the total apply to those candidates, as
Meilisearch's maxTotalHits bounds what it pages through. The candidates' narrow columns go
to a temporary table, where SQLite orders the page: no Python object is made of a
candidate's ranking columns, only of the facet values counted.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from services.catalog.search.embedded_schema import BM25, SEPARATOR
from services.catalog.search.embedded_vocab import corrections, document_frequency
from services.catalog.search.port import SearchQuery
from services.catalog.search.text import fts5_match, terms

_CANDIDATES = """
CREATE TEMP TABLE IF NOT EXISTS search_candidates (
    id INTEGER PRIMARY KEY, tier INTEGER, score REAL, price_amount INTEGER, landed INTEGER,
    created_us INTEGER, shop_rating REAL, shop_reviews INTEGER,
    condition TEXT, shop_id TEXT, shop_country TEXT, binding TEXT, categories TEXT
)
"""
_RANKED = "d.price_amount, {landed}, d.created_us, d.shop_rating, d.shop_reviews"
_FACETED = "d.condition, d.shop_id, d.shop_country, d.binding, d.categories"
_UNFACETED = "NULL, NULL, NULL, NULL, NULL"
# The landed price to the shopper's country: the domestic first-item rate from a shop in that
# country, the international one from any other; NULL (last) where the rates are unknown.
_LANDED_TO = (
    "CASE WHEN upper(d.shop_country) = :ship_to THEN d.landed_domestic "
    "ELSE d.landed_international END"
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
}
MAX_SUGGESTIONS = 3
MAX_CORRECTIONS_TRIED = 5


@dataclass(frozen=True)
class Candidates:
    page_ids: list[int]
    total: int
    facets: dict[str, dict[str, int]]
    corrections: dict[str, list[str]]


def candidates(connection: sqlite3.Connection, query: SearchQuery, *, cap: int) -> Candidates:
    where, params = _filters(query)
    landed = _LANDED_TO if query.ship_to else "d.landed_amount"
    params["ship_to"] = query.ship_to
    columns = _RANKED.format(landed=landed) + ", " + (_FACETED if query.facets else _UNFACETED)
    words = terms(query.text)
    fixes: dict[str, list[str]] = {}
    connection.execute(_CANDIDATES)
    connection.execute("DELETE FROM temp.search_candidates")
    # Relevance is only worth computing when it orders the page.
    score = BM25 if query.effective_sort == "relevance" else "0.0"
    if not words:
        found = connection.execute(
            f"INSERT INTO temp.search_candidates SELECT d.id, 0, 0.0, {columns} "
            f"FROM documents d WHERE {where} ORDER BY d.id DESC LIMIT :cap",
            {**params, "cap": cap},
        ).rowcount
    else:
        exact = fts5_match(query.text)
        found = _matching(connection, exact, 0, score, where, params, columns, cap)
        # Misspelt matches rank after every exact one, as Meilisearch's "typo" rule does, so
        # when the exact ones already fill the candidates no correction would be seen.
        if found < cap:
            fixes = {
                w: fixed for w in dict.fromkeys(words) if (fixed := corrections(connection, w))
            }
        if fixes:
            # Only the rows the exact words did not find: scoring and fetching those again
            # cost as much as the first pass.
            tolerant = f"({fts5_match(query.text, fixes)}) NOT ({exact})"
            found += _matching(connection, tolerant, 1, score, where, params, columns, cap - found)
    page_ids = [
        row[0]
        for row in connection.execute(
            f"SELECT id FROM temp.search_candidates ORDER BY {_ORDER[query.effective_sort]} "
            "LIMIT :limit OFFSET :offset",
            {"limit": query.per_page, "offset": query.offset},
        )
    ]
    facets = _count_facets(connection, query.facets) if query.facets else {}
    return Candidates(page_ids=page_ids, total=found, facets=facets, corrections=fixes)


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


def _matching(
    connection: sqlite3.Connection,
    match: str | None,
    tier: int,
    score: str,
    where: str,
    params: dict[str, Any],
    columns: str,
    cap: int,
) -> int:
    """Add the newest `cap` documents matching `match` that pass the filters; how many."""
    sql = (
        f"INSERT OR IGNORE INTO temp.search_candidates SELECT c.id, {tier:d}, c.score, {columns} "
        f"FROM (SELECT rowid AS id, {score} AS score FROM documents_fts "
        "WHERE documents_fts MATCH :match ORDER BY rowid DESC LIMIT :cap) c "
        f"JOIN documents d ON d.id = c.id WHERE {where}"
    )
    return connection.execute(sql, {**params, "match": match, "cap": cap}).rowcount


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
    if query.categories:
        names = [f"category_{n}" for n in range(len(query.categories))]
        clauses.append("(" + " OR ".join(f"instr(d.categories, :{n}) > 0" for n in names) + ")")
        params.update(
            {n: f"{SEPARATOR}{v}{SEPARATOR}" for n, v in zip(names, query.categories, strict=True)}
        )
    return " AND ".join(clauses), params


def _count_facets(
    connection: sqlite3.Connection, wanted: Sequence[str]
) -> dict[str, dict[str, int]]:
    # Counter over one fetch costs less than a GROUP BY (a sort) per facet.
    columns = [_FACET_COLUMN[name] for name in wanted]
    rows = connection.execute(f"SELECT {', '.join(columns)} FROM temp.search_candidates").fetchall()
    counts: dict[str, Counter] = {}
    for position, name in enumerate(wanted):
        values = Counter(map(itemgetter(position), rows))
        if name == "category":
            # Counted by the set of categories a listing has; each category counts apart.
            counts[name] = Counter()
            for joined, count in values.items():
                for category in joined.strip(SEPARATOR).split(SEPARATOR) if joined else ():
                    counts[name][category] += count
        else:
            counts[name] = values
    # Most frequent first; ties alphabetically.
    return {
        name: dict(sorted(((v, n) for v, n in counter.items() if v), key=lambda i: (-i[1], i[0])))
        for name, counter in counts.items()
    }
