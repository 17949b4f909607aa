"""How the embedded index answers a query: candidates, filters, facets, order, suggestions.

Ranking cost grows with every matching row, and a common word ("the") matches most of them.
So a query ranks only the most recently indexed `cap` matches (FTS5 walks its index in rowid
order and stops there); filters, facets and the total apply to those candidates, as
Meilisearch's maxTotalHits bounds what it pages through. One pass in Python over at most
`cap` narrow rows then counts facets and orders the page, which costs less than one GROUP BY
per facet in SQL.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any

from services.catalog.search.embedded_schema import BM25, SEPARATOR
from services.catalog.search.embedded_vocab import corrections, document_frequency
from services.catalog.search.port import SearchQuery
from services.catalog.search.text import fts5_match, terms

# A candidate row: id, typo tier, score, then what it is ordered by, then its facets.
_RANKED = "d.price_amount, d.landed_amount, d.created_us, d.shop_rating, d.shop_reviews"
_FACETED = "d.condition, d.shop_id, d.shop_country, d.binding, d.categories"
# Where each facet sits in a candidate row:
# (id, tier, score, price, landed, created, rating, reviews, *these).
_FACET_POSITION = {"condition": 8, "shop": 9, "country": 10, "binding": 11, "category": 12}
MAX_SUGGESTIONS = 3
MAX_CORRECTIONS_TRIED = 5


@dataclass(frozen=True)
class Candidates:
    ordered_ids: list[int]
    total: int
    facets: dict[str, dict[str, int]]
    corrections: dict[str, list[str]]


def candidates(connection: sqlite3.Connection, query: SearchQuery, *, cap: int) -> Candidates:
    where, params = _filters(query)
    columns = _RANKED + (", " + _FACETED if query.facets else "")
    words = terms(query.text)
    fixes: dict[str, list[str]] = {}
    rows: dict[int, tuple[Any, ...]] = {}
    # Relevance is only worth computing when it orders the page.
    score = BM25 if query.effective_sort == "relevance" else "0.0"
    if not words:
        sql = (
            f"SELECT d.id, 0, 0.0, {columns} FROM documents d WHERE {where} "
            "ORDER BY d.id DESC LIMIT :cap"
        )
        rows = {row[0]: row for row in connection.execute(sql, {**params, "cap": cap})}
    else:
        exact = fts5_match(query.text)
        rows = {
            row[0]: row
            for row in _matching(connection, exact, 0, score, where, params, columns, cap)
        }
        fixes = {w: fixed for w in dict.fromkeys(words) if (fixed := corrections(connection, w))}
        if fixes and len(rows) < cap:
            # Misspelt matches rank after every exact one, as Meilisearch's "typo" rule does
            # (and when the exact ones already fill the candidates, none would be seen).
            tolerant = fts5_match(query.text, fixes)
            for row in _matching(connection, tolerant, 1, score, where, params, columns, cap):
                if row[0] not in rows and len(rows) < cap:
                    rows[row[0]] = row
    ordered = sorted(rows, key=_sort_key(query, rows))
    facets = _count_facets(list(rows.values()), query.facets) if query.facets else {}
    return Candidates(ordered_ids=ordered, total=len(ordered), facets=facets, corrections=fixes)


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
) -> Sequence[tuple[Any, ...]]:
    sql = (
        f"SELECT c.id, {tier:d}, c.score, {columns} FROM (SELECT rowid AS id, {score} AS score "
        "FROM documents_fts WHERE documents_fts MATCH :match ORDER BY rowid DESC LIMIT :cap) c "
        f"JOIN documents d ON d.id = c.id WHERE {where}"
    )
    return connection.execute(sql, {**params, "match": match, "cap": cap}).fetchall()


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


def _sort_key(query: SearchQuery, rows: dict[int, tuple[Any, ...]]):
    # rows[id] = (id, tier, score, price, landed, created_us, rating, reviews, ...); bm25
    # scores are negative.
    sort = query.effective_sort
    if sort == "price":
        return lambda i: (rows[i][3], rows[i][1], rows[i][2], -i)
    if sort == "landed_price":
        return lambda i: (rows[i][4], rows[i][1], rows[i][2], -i)
    if sort == "newest":
        return lambda i: (-rows[i][5], -i)
    if sort == "reputation":
        # Best average first; of two shops rated alike, the one more buyers reviewed.
        return lambda i: (-rows[i][6], -rows[i][7], rows[i][1], rows[i][2], -i)
    return lambda i: (rows[i][1], rows[i][2], -i)


def _count_facets(rows: list[tuple[Any, ...]], wanted: Sequence[str]) -> dict[str, dict[str, int]]:
    # Counter over itemgetter runs in C: a few hundred microseconds for the whole cap.
    counts: dict[str, Counter] = {}
    for name in wanted:
        if name == "category":
            joined = map(itemgetter(_FACET_POSITION["category"]), rows)
            counts[name] = Counter(
                chain.from_iterable(c.strip(SEPARATOR).split(SEPARATOR) for c in joined if c)
            )
        else:
            counts[name] = Counter(map(itemgetter(_FACET_POSITION[name]), rows))
    return {
        name: {value: count for value, count in counter.most_common() if value}
        for name, counter in counts.items()
    }
