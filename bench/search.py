"""Search benchmark: the embedded index against a plain SQL LIKE scan, on the same data.

    python -m bench.search --listings 200000 [--seed 1]

Generates realistic listings (deterministic for a seed: many shops, repeated ISBNs, common
and rare words), indexes them in the embedded backend in batches of 1000 as the worker does
(docs/s), then runs a fixed mix of queries (single words, common words, phrases, typos,
prefixes, filters, sorts, the shopper's country for landed prices and shops that do not
ship there, shops within a distance and nearest first; every one asks for all facet counts,
as the API does) and times
each in-process. The same mix then runs as plain SQL on a copy of the rows: `LIKE '%word%'`
over title, author and description with the same filters, a count for the total and one
sorted page. The baseline computes no facets and no typo tolerance, so the speedup is a
lower bound. Every query of the mix is listed on stderr, slowest first, with the median
wall-clock and CPU time of its runs. The last line is

    search listings=<n> p50_ms=<x> p95_ms=<x> baseline_p95_ms=<x> speedup=<x> index_docs_per_s=<x>
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from services.catalog.domain import CONDITIONS, condition_rank
from services.catalog.search.embedded import EmbeddedSearchIndex
from services.catalog.search.port import FACETS, SearchDocument, SearchQuery, Shipping
from services.common.shipping import profile_from_dict

BATCH = 1000
REPEATS = 3
COMMON = "the of and a in history book complete works".split()
SYLLABLES = "ka lo mer tin da ro sel van bri cor nel has pa qui ster mon lu fa ber tho".split()
FIRST = "Ada Tomas Ines Kofi Mila Jorge Anna Lena Omar Yuki Pablo Greta Ivan Nora".split()
LAST = "Varga Okafor Lind Moreau Sato Novak Byrne Costa Ibsen Ruiz Khan Weber Rossi".split()
PUBLISHERS = ("Penguin", "Gallimard", "Faber", "Vintage", "Picador", "Anagrama", "Virago")
BINDINGS = ("hardcover", "paperback", "softcover", "leather", "boards", "wrappers")
CATEGORIES = tuple(
    "fiction poetry history travel science art music children crime philosophy maps "
    "cookery religion nature biography drama sport law medicine architecture".split()
)
COUNTRIES = ("GB", "FR", "DE", "ES", "IT", "NL", "US", "IE", "PT", "SE")
# A point in each country the shops' towns are scattered around (about 150 km either way).
CENTRES = {
    "GB": (52.5, -1.5), "FR": (46.6, 2.4), "DE": (51.1, 10.4), "ES": (40.2, -3.7),
    "IT": (42.8, 12.5), "NL": (52.2, 5.3), "US": (39.8, -98.6), "IE": (53.3, -7.7),
    "PT": (39.6, -8.0), "SE": (59.3, 16.0),
}  # fmt: skip


def shipping_of(rng: random.Random) -> Shipping:
    """Two zones mostly; one shop in five names regions and services and does not ship
    to some countries."""
    two_zones = Shipping.two_zones(rng.choice((300, 450, 600)), rng.choice((900, 1500)), "EUR")
    if rng.random() >= 0.2:
        return two_zones
    excluded = rng.sample(COUNTRIES, 3)
    return Shipping(
        profile_from_dict(
            {
                "currency": "EUR",
                "regions": [
                    {"group": "home", "name": "Home", "services": [
                        {"code": "economy", "name": "Economy", "first": rng.choice((250, 400))},
                        {"code": "express", "name": "Express", "first": 990}]},
                    {"group": "eu", "name": "EU", "free_over": rng.choice((3000, 5000)),
                     "services": [{"code": "standard", "name": "Standard", "first": 700}]},
                    {"group": "world", "name": "World",
                     "services": [{"code": "standard", "name": "Standard", "first": 1600}]},
                ],
                "excluded": excluded,
            }
        )
    )  # fmt: skip


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def isbn13(rng: random.Random) -> str:
    body = "978" + "".join(str(rng.randrange(10)) for _ in range(9))
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def generate(n: int, seed: int) -> tuple[list[SearchDocument], list[str]]:
    rng = random.Random(seed)
    words = vocabulary(rng, 6000)
    shops = []
    for i in range(max(10, n // 200)):
        country = rng.choice(COUNTRIES)
        lat, lon = CENTRES[country]
        shops.append(
            (
                f"shop-{i}",
                f"{rng.choice(LAST)} {rng.choice(words).title()} Books",
                country,
                shipping_of(rng),
                (lat + rng.uniform(-1.4, 1.4), lon + rng.uniform(-2, 2)),
            )
        )
    # Zipf-like word popularity: a few title words are everywhere, most are rare.
    weights = [1 / (rank + 1) for rank in range(len(words))]
    works = []
    for _ in range(max(1, n // 4)):
        title_words = rng.choices(words, weights, k=rng.randint(1, 4))
        if rng.random() < 0.5:
            title_words.insert(0, rng.choice(COMMON))
        works.append(
            (
                " ".join(title_words).title(),
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                isbn13(rng) if rng.random() < 0.8 else None,
                rng.choice(PUBLISHERS),
                rng.randint(1900, 2024),
            )
        )
    epoch = datetime(2020, 1, 1, tzinfo=UTC)
    documents = []
    for i in range(n):
        title, author, isbn, publisher, year = rng.choice(works)
        shop_id, shop_name, country, shipping, place = rng.choice(shops)
        moment = epoch + timedelta(minutes=i)
        documents.append(
            SearchDocument(
                listing_id=f"l-{i:08d}",
                shop_id=shop_id,
                shop_name=shop_name,
                shop_country=country,
                shipping=shipping,
                shop_town=f"Town {shop_id}",
                shop_latitude=place[0],
                shop_longitude=place[1],
                title=title,
                author=author,
                isbn=isbn,
                publisher=publisher,
                year=year,
                binding=rng.choice(BINDINGS),
                categories=tuple(rng.sample(CATEGORIES, rng.randint(1, 2))),
                condition=rng.choice(CONDITIONS),
                description=" ".join(rng.choices(words + COMMON * 50, k=20)),
                price_amount=int(rng.lognormvariate(7, 0.8)),
                price_currency="EUR",
                quantity=rng.randint(1, 3),
                created_at=moment,
                updated_at=moment,
            )
        )
    return documents, words


def query_mix(words: list[str], seed: int) -> list[SearchQuery]:
    rng = random.Random(seed + 1)
    popular, rare = words[:30], words[2000:]
    long_words = [w for w in rare if len(w) >= 6]

    def typo(word: str) -> str:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]

    base: list[SearchQuery] = []
    for _ in range(4):
        base += [
            SearchQuery(rng.choice(popular)),
            SearchQuery(rng.choice(rare)),
            SearchQuery(rng.choice(COMMON)),
            SearchQuery(f"{rng.choice(popular)} {rng.choice(rare)}"),
            SearchQuery(f"the {rng.choice(popular)}"),
            SearchQuery(typo(rng.choice(long_words))),
            SearchQuery(rng.choice(rare)[:3]),
            SearchQuery(rng.choice(popular)[:4]),
            SearchQuery(rng.choice(LAST).lower()),
            SearchQuery(
                rng.choice(popular), price_min=500, price_max=3000, condition_at_least="good"
            ),
            SearchQuery(rng.choice(COMMON), countries=(rng.choice(COUNTRIES),), sort="price"),
            SearchQuery(rng.choice(popular), categories=(rng.choice(CATEGORIES),), sort="newest"),
            SearchQuery(rng.choice(rare), sort="landed_price"),
            SearchQuery("", shops=("shop-3",)),
            SearchQuery("", condition_at_least="fine", sort="price"),
            SearchQuery(rng.choice(popular), page=3),
            # The shopper's country: landed prices by its cheapest service, and the shops
            # that do not ship there left out.
            SearchQuery(rng.choice(popular), ship_to=rng.choice(COUNTRIES), sort="landed_price"),
            SearchQuery(rng.choice(COMMON), ship_to=rng.choice(COUNTRIES)),
            # Shops near the shopper: within a distance, nearest first.
            SearchQuery("", near=CENTRES[rng.choice(COUNTRIES)], within_km=100, sort="distance"),
            SearchQuery(rng.choice(popular), near=CENTRES[rng.choice(COUNTRIES)], within_km=50),
            SearchQuery(
                rng.choice(COMMON),
                ship_to=rng.choice(COUNTRIES),
                near=CENTRES[rng.choice(COUNTRIES)],
                sort="distance",
            ),
        ]
    return [replace(query, facets=FACETS) for query in base]


def run_embedded(
    index: EmbeddedSearchIndex, queries: list[SearchQuery]
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each search, REPEATS times through the mix."""
    for query in queries:  # warm the page cache once, as a running service would be
        index.search(query)
    timings, cpu = [], []
    for _ in range(REPEATS):
        for query in queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            index.search(query)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    return timings, cpu


def describe(query: SearchQuery) -> str:
    filters = {
        name: value
        for name in ("price_min", "price_max", "condition_at_least", "countries", "categories",
                     "shops", "ship_to", "near", "within_km")
        if (value := getattr(query, name))
    }  # fmt: skip
    page = f" page={query.page}" if query.page > 1 else ""
    return f"{query.text!r} sort={query.sort}{page}" + "".join(
        f" {name}={value}" for name, value in filters.items()
    )


def report_each(queries: list[SearchQuery], timings: list[float], cpu: list[float]) -> None:
    """Every query of the mix, slowest first: the median of its runs, wall-clock and CPU (the
    machine may be shared: CPU time shows what the search itself cost)."""
    rows = []
    for position, query in enumerate(queries):
        runs = range(position, len(timings), len(queries))
        rows.append(
            (
                statistics.median(timings[i] for i in runs),
                statistics.median(cpu[i] for i in runs),
                describe(query),
            )
        )
    for wall, used, text in sorted(rows, reverse=True):
        print(f"query wall_ms={wall:7.2f} cpu_ms={used:7.2f} {text}", file=sys.stderr)


PLAIN = """CREATE TABLE plain (id INTEGER PRIMARY KEY, title TEXT, author TEXT, description TEXT,
shop_id TEXT, shop_country TEXT, categories TEXT, condition_rank INTEGER, price INTEGER,
landed INTEGER, created_us INTEGER)"""


def build_plain(path: Path, documents: list[SearchDocument]) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute(PLAIN)
    connection.executemany(
        "INSERT INTO plain VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (d.title, d.author, d.description, d.shop_id, d.shop_country,
             "|" + "|".join(d.categories) + "|", condition_rank(d.condition), d.price_amount,
             d.landed_amount, int(d.created_at.timestamp() * 1e6))
            for d in documents
        ],
    )  # fmt: skip
    connection.commit()
    return connection


def run_baseline(connection: sqlite3.Connection, queries: list[SearchQuery]) -> list[float]:
    # The baseline knows neither distances nor countries shipped to: it orders such queries
    # by id, which flatters it.
    orders = {"relevance": "id DESC", "newest": "created_us DESC", "price": "price",
              "landed_price": "landed", "distance": "id DESC"}  # fmt: skip
    timings = []
    for query in queries:
        clauses, params = ["1"], []
        for word in query.text.split():
            clauses.append("(title LIKE ? OR author LIKE ? OR description LIKE ?)")
            params += [f"%{word}%"] * 3
        if query.price_min is not None:
            clauses += ["price >= ?", "price <= ?"]
            params += [query.price_min, query.price_max]
        if query.min_condition_rank is not None:
            clauses.append("condition_rank >= ?")
            params.append(query.min_condition_rank)
        for column, values in (("shop_id", query.shops), ("shop_country", query.countries)):
            if values:
                clauses.append(f"{column} = ?")
                params.append(values[0])
        if query.categories:
            clauses.append("categories LIKE ?")
            params.append(f"%|{query.categories[0]}|%")
        where = " AND ".join(clauses)
        start = time.perf_counter()
        connection.execute(f"SELECT count(*) FROM plain WHERE {where}", params).fetchone()
        connection.execute(
            f"SELECT * FROM plain WHERE {where} ORDER BY {orders[query.sort]} LIMIT ? OFFSET ?",
            [*params, query.per_page, query.offset],
        ).fetchall()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.search", description=__doc__.split("\n")[0])
    parser.add_argument("--listings", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    documents, words = generate(args.listings, args.seed)
    queries = query_mix(words, args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as scratch:
        index = EmbeddedSearchIndex(Path(scratch) / "index.sqlite")
        start = time.perf_counter()
        for first in range(0, len(documents), BATCH):
            index.upsert(documents[first : first + BATCH])
        docs_per_s = len(documents) / (time.perf_counter() - start)
        timings, cpu = run_embedded(index, queries)
        report_each(queries, timings, cpu)
        index.close()
        baseline = run_baseline(build_plain(Path(scratch) / "plain.sqlite", documents), queries)
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    baseline_p95 = percentile(baseline, 0.95)
    print(
        f"embedded cpu_p50_ms={statistics.median(cpu):.2f} cpu_p95_ms={percentile(cpu, 0.95):.2f}",
        file=sys.stderr,
    )
    print(
        f"search listings={args.listings} p50_ms={p50:.2f} p95_ms={p95:.2f} "
        f"baseline_p95_ms={baseline_p95:.2f} speedup={baseline_p95 / p95:.1f} "
        f"index_docs_per_s={docs_per_s:.0f}"
    )


if __name__ == "__main__":
    main()
