"""The embedded index's tables, and the mapping between its rows and SearchDocuments.

Documents live in a plain `documents` table; `documents_fts` is an external-content FTS5
index over it, kept in step by triggers, so an upsert is one INSERT ... ON CONFLICT and the
full-text index follows.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson

from services.catalog.search.embedded_vocab import SCHEMA as VOCABULARY_SCHEMA
from services.catalog.search.port import (
    COUNTRIES,
    SearchDocument,
    Shipping,
    identifiers_text,
)
from services.common import shipping as shipping_rule
from services.common.clock import as_utc

SCHEMA_VERSION = 6
# Separates categories in one column: a control character nobody types, and a word
# boundary for the FTS5 tokenizer, so each category is searchable and filterable.
SEPARATOR = "\x1f"

# Relevance weights per FTS column, in the order the columns are declared: a word in the
# title counts most, then an exact identifier, the author, publisher and categories, the
# description, the shop's name.
WEIGHTS = {
    "title": 10.0,
    "identifiers": 8.0,
    "author": 5.0,
    "publisher": 2.0,
    "categories": 2.0,
    "description": 1.0,
    "shop_name": 0.5,
}
BM25 = "bm25(documents_fts, {})".format(", ".join(str(w) for w in WEIGHTS.values()))
_FTS = tuple(WEIGHTS)
# The prefixes documents_fts keeps lists for; a longer prefix is matched by merging the lists
# of every word it begins.
PREFIX_LENGTHS = (2, 3, 4)
AUTOMERGE = 8

COLUMNS = (
    "listing_id", "shop_id", "shop_name", "shop_country", "title", "author", "isbn",
    "identifiers", "publisher", "year", "binding", "categories", "photos", "condition",
    "condition_rank", "condition_notes", "description", "price_amount", "price_currency",
    "landed_amount", "shipping", "quantity", "work_id", "created_at", "created_us", "updated_at",
    "shop_rating", "shop_reviews", "landed_domestic", "landed_international", "images",
    "shop_town", "shop_lat", "shop_lon", "rates_key",
)  # fmt: skip

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    listing_id TEXT NOT NULL UNIQUE,
    shop_id TEXT NOT NULL,
    shop_name TEXT,
    shop_country TEXT,
    title TEXT NOT NULL,
    author TEXT,
    isbn TEXT,
    identifiers TEXT,
    publisher TEXT,
    year INTEGER,
    binding TEXT,
    categories TEXT NOT NULL,
    photos TEXT NOT NULL,
    condition TEXT,
    condition_rank INTEGER,
    condition_notes TEXT NOT NULL,
    description TEXT NOT NULL,
    price_amount INTEGER NOT NULL,
    price_currency TEXT NOT NULL,
    landed_amount INTEGER NOT NULL,
    shipping TEXT,
    quantity INTEGER NOT NULL,
    work_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    shop_rating REAL NOT NULL DEFAULT 0,
    shop_reviews INTEGER NOT NULL DEFAULT 0,
    -- The price with the first-item rate to the shop's own country and to any other: NULL
    -- when the shop has not said what it charges (in the listing's currency).
    landed_domestic INTEGER,
    landed_international INTEGER,
    images TEXT NOT NULL DEFAULT '[]',
    shop_town TEXT,
    shop_lat REAL,
    shop_lon REAL,
    rates_key TEXT
);
-- shop_town, shop_lat, shop_lon: where the shop is (its town's coordinates), NULL when
-- unknown. rates_key: names the shop's rates per destination in shop_rates; NULL when the
-- shop has not said what it charges, and for documents written before shop_rates (their
-- landed_domestic and landed_international stand in until a reindex).
-- A shop's first-item rate to each country it ships to, by its cheapest service there, and
-- that region's free-shipping amount: the landed price to the shopper's country is the price
-- plus this rate (nothing from free_over up). A country with no row is one the shop does not
-- ship to. Keyed by a hash of the profile and the shop's country, so the rows of one key
-- never change and documents of an older revision of the shop keep theirs.
CREATE TABLE IF NOT EXISTS shop_rates (
    rates_key TEXT NOT NULL,
    country TEXT NOT NULL,
    rate INTEGER NOT NULL,
    free_over INTEGER,
    currency TEXT NOT NULL,
    PRIMARY KEY (rates_key, country)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_work ON documents (work_id, landed_amount);
CREATE INDEX IF NOT EXISTS documents_shop ON documents (shop_id);
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    {", ".join(_FTS)},
    content='documents', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='{" ".join(map(str, PREFIX_LENGTHS))}'
);
-- Segments are merged once {AUTOMERGE} of a level exist (FTS5's default is 4): a bulk upload
-- rewrites each posting fewer times, for queries that read a few more segments.
INSERT INTO documents_fts (documents_fts, rank) VALUES ('automerge', {AUTOMERGE});
CREATE TRIGGER IF NOT EXISTS documents_inserted AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, {", ".join(_FTS)})
    VALUES (new.id, {", ".join("new." + c for c in _FTS)});
END;
CREATE TRIGGER IF NOT EXISTS documents_deleted AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, {", ".join(_FTS)})
    VALUES ('delete', old.id, {", ".join("old." + c for c in _FTS)});
END;
CREATE TRIGGER IF NOT EXISTS documents_updated AFTER UPDATE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, {", ".join(_FTS)})
    VALUES ('delete', old.id, {", ".join("old." + c for c in _FTS)});
    INSERT INTO documents_fts (rowid, {", ".join(_FTS)})
    VALUES (new.id, {", ".join("new." + c for c in _FTS)});
END;
{VOCABULARY_SCHEMA}
PRAGMA user_version = {SCHEMA_VERSION};
"""

# Landed prices by destination, filled from the shipping rates each document already holds.
_LANDED_BY_DESTINATION = """
ALTER TABLE documents ADD COLUMN landed_domestic INTEGER;
ALTER TABLE documents ADD COLUMN landed_international INTEGER;
UPDATE documents SET
    landed_domestic = price_amount + json_extract(shipping, '$.domestic_first'),
    landed_international = price_amount + json_extract(shipping, '$.international_first')
WHERE shipping IS NOT NULL AND json_extract(shipping, '$.currency') = price_currency;
"""

# Uploaded photos (a JSON array of ListingImage objects, cover first): documents show none
# until their listing's next change or a reindex.
_IMAGES = """
ALTER TABLE documents ADD COLUMN images TEXT NOT NULL DEFAULT '[]';
"""

# Where the shop is, and rates per destination (documents keep their two landed prices
# until their shop's next change or a reindex).
_PLACES = """
ALTER TABLE documents ADD COLUMN shop_town TEXT;
ALTER TABLE documents ADD COLUMN shop_lat REAL;
ALTER TABLE documents ADD COLUMN shop_lon REAL;
ALTER TABLE documents ADD COLUMN rates_key TEXT;
"""

# Steps that bring an index file of an older version to this one, keeping its documents.
UPGRADES = {
    # Shop reputation: documents show no reviews until their shop's next review or reindex.
    2: """
    ALTER TABLE documents ADD COLUMN shop_rating REAL NOT NULL DEFAULT 0;
    ALTER TABLE documents ADD COLUMN shop_reviews INTEGER NOT NULL DEFAULT 0;
    """
    + _LANDED_BY_DESTINATION
    + _IMAGES
    + _PLACES,
    3: _LANDED_BY_DESTINATION + _IMAGES + _PLACES,
    4: _IMAGES + _PLACES,
    5: _PLACES,
}

# An index file from before this schema, without an upgrade step, is rebuilt empty (the
# reindex command refills it).
DROP_OLD = """
DROP TABLE IF EXISTS documents_terms; DROP TABLE IF EXISTS documents_fts;
DROP TABLE IF EXISTS documents; DROP TABLE IF EXISTS vocabulary;
DROP TABLE IF EXISTS vocabulary_variants; DROP TABLE IF EXISTS shop_rates;
"""

# A batch of documents in one statement: their rows come as one JSON array of arrays (in
# COLUMNS order), so SQLite indexes the whole batch in one step, without the GIL. Bound row
# by row, the writing thread had to win the GIL back from the worker's other thread for
# every document, and waited for it longer than it worked.
UPSERT = f"""
INSERT INTO documents ({", ".join(COLUMNS)})
SELECT {", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(COLUMNS)))}
FROM json_each(?) WHERE true
ON CONFLICT (listing_id) DO UPDATE SET
    {", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])}
"""
SELECT = f"SELECT {', '.join('d.' + c for c in COLUMNS)}"


def to_rows(documents: list[SearchDocument]) -> str:
    """The documents as UPSERT takes them: one JSON array of rows in COLUMNS order."""
    return orjson.dumps([to_row(document) for document in documents]).decode()


def to_row(document: SearchDocument) -> list[Any]:
    created = as_utc(document.created_at)
    shipping = document.shipping
    return [
        document.listing_id,
        document.shop_id,
        document.shop_name,
        document.shop_country,
        document.title,
        document.author,
        document.isbn,
        identifiers_text(document.isbn),
        document.publisher,
        document.year,
        document.binding,
        join_categories(document.categories),
        json.dumps(list(document.photos)) if document.photos else "[]",
        document.condition,
        document.condition_rank,
        document.condition_notes,
        document.description,
        document.price_amount,
        document.price_currency,
        document.landed_amount,
        None if shipping is None else _shipping_json(shipping),
        document.quantity,
        document.work_id,
        created.isoformat(),
        int(created.timestamp() * 1_000_000),
        as_utc(document.updated_at).isoformat(),
        document.shop_rating,
        document.shop_reviews,
        document.landed_amount_by(domestic=True),
        document.landed_amount_by(domestic=False),
        json.dumps(list(document.images)) if document.images else "[]",
        document.shop_town,
        document.shop_latitude,
        document.shop_longitude,
        None if shipping is None else rates_key(document.shop_country, shipping),
    ]


@lru_cache(maxsize=256)
def _shipping_json(shipping: Shipping) -> str:
    # A bulk upload's documents share their shop's few rates: encode each once.
    return json.dumps(shipping.as_stored())


@lru_cache(maxsize=256)
def rates_key(shop_country: str | None, shipping: Shipping) -> str:
    """What names one shop's rates per destination: the same profile from the same country
    gives the same key."""
    stored = orjson.dumps([shop_country, shipping.as_stored()], option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(stored, digest_size=12).hexdigest()


def shop_rate_rows(documents: list[SearchDocument]) -> list[tuple[Any, ...]]:
    """The shop_rates rows of the rates that `documents` name."""
    wanted = {
        (document.shop_country, document.shipping)
        for document in documents
        if document.shipping is not None
    }
    rows: list[tuple[Any, ...]] = []
    for shop_country, shipping in wanted:
        assert shipping is not None
        rows.extend(_rates_of(shop_country, shipping))
    return rows


@lru_cache(maxsize=256)
def _rates_of(shop_country: str | None, shipping: Shipping) -> tuple[tuple[Any, ...], ...]:
    key = rates_key(shop_country, shipping)
    regions = shipping_rule.regions_by_country(shipping.profile, shop_country, COUNTRIES)
    return tuple(
        (key, country, region.cheapest().first, region.free_over, shipping.currency)
        for country, region in regions.items()
    )


# The rows of one key never change: writing them again is harmless.
INSERT_SHOP_RATES = "INSERT OR IGNORE INTO shop_rates VALUES (?, ?, ?, ?, ?)"


def to_document(row: dict[str, Any]) -> SearchDocument:
    shipping = row["shipping"]
    return SearchDocument(
        listing_id=row["listing_id"],
        shop_id=row["shop_id"],
        shop_name=row["shop_name"],
        shop_country=row["shop_country"],
        title=row["title"],
        author=row["author"],
        isbn=row["isbn"],
        publisher=row["publisher"],
        year=row["year"],
        binding=row["binding"],
        categories=split_categories(row["categories"]),
        photos=tuple(json.loads(row["photos"])),
        images=tuple(json.loads(row.get("images") or "[]")),
        condition=row["condition"],
        condition_notes=row["condition_notes"],
        description=row["description"],
        price_amount=row["price_amount"],
        price_currency=row["price_currency"],
        shipping=None if shipping is None else _stored_shipping(shipping),
        quantity=row["quantity"],
        work_id=row["work_id"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        shop_rating=row["shop_rating"],
        shop_reviews=row["shop_reviews"],
        shop_town=row.get("shop_town"),
        shop_latitude=row.get("shop_lat"),
        shop_longitude=row.get("shop_lon"),
    )


@lru_cache(maxsize=256)
def _stored_shipping(stored: str) -> Shipping:
    return Shipping.from_stored(json.loads(stored))


def join_categories(categories: tuple[str, ...]) -> str:
    return SEPARATOR + SEPARATOR.join(categories) + SEPARATOR if categories else ""


def split_categories(stored: str) -> tuple[str, ...]:
    return tuple(part for part in stored.split(SEPARATOR) if part)
