"""The embedded search adapter: SQLite FTS5 in a file of its own, no server needed.

Documents live in a plain `documents` table; `documents_fts` is an external-content FTS5
index over it, kept in step by triggers, so an upsert is one INSERT ... ON CONFLICT and the
full-text index follows. Connections come from a small pool: a connection is used by one
thread at a time, and SQLite's WAL lets the web processes read while the worker writes.
"""

from __future__ import annotations

import queue
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from services.catalog.search.port import (
    Highlight,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from services.catalog.search.text import fts5_match, highlight, terms

SCHEMA_VERSION = 1

# Relevance weights per FTS column, in the order the columns are declared below: a word in
# the title counts most, then the author, an exact identifier, the description, the shop.
_WEIGHTS = {"title": 10.0, "author": 5.0, "description": 1.0, "shop_name": 0.5, "identifiers": 8.0}
_FTS_COLUMNS = tuple(_WEIGHTS)
_BM25 = "bm25(documents_fts, {})".format(", ".join(str(w) for w in _WEIGHTS.values()))

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    listing_id TEXT NOT NULL UNIQUE,
    shop_id TEXT NOT NULL,
    shop_name TEXT,
    title TEXT NOT NULL,
    author TEXT,
    isbn TEXT,
    identifiers TEXT,
    condition TEXT,
    description TEXT NOT NULL,
    price_amount INTEGER NOT NULL,
    price_currency TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_newest ON documents (created_us DESC, listing_id);
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    {", ".join(_FTS_COLUMNS)},
    content='documents', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER IF NOT EXISTS documents_inserted AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, {", ".join(_FTS_COLUMNS)})
    VALUES (new.id, {", ".join("new." + c for c in _FTS_COLUMNS)});
END;
CREATE TRIGGER IF NOT EXISTS documents_deleted AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, {", ".join(_FTS_COLUMNS)})
    VALUES ('delete', old.id, {", ".join("old." + c for c in _FTS_COLUMNS)});
END;
CREATE TRIGGER IF NOT EXISTS documents_updated AFTER UPDATE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, {", ".join(_FTS_COLUMNS)})
    VALUES ('delete', old.id, {", ".join("old." + c for c in _FTS_COLUMNS)});
    INSERT INTO documents_fts (rowid, {", ".join(_FTS_COLUMNS)})
    VALUES (new.id, {", ".join("new." + c for c in _FTS_COLUMNS)});
END;
PRAGMA user_version = {SCHEMA_VERSION};
"""

_DOCUMENT_COLUMNS = (
    "listing_id, shop_id, shop_name, title, author, isbn, identifiers, condition, description, "
    "price_amount, price_currency, quantity, created_at, created_us, updated_at"
)
_UPSERT = f"""
INSERT INTO documents ({_DOCUMENT_COLUMNS})
VALUES (:listing_id, :shop_id, :shop_name, :title, :author, :isbn, :identifiers, :condition,
        :description, :price_amount, :price_currency, :quantity, :created_at, :created_us,
        :updated_at)
ON CONFLICT (listing_id) DO UPDATE SET
    {", ".join(f"{c.strip()} = excluded.{c.strip()}" for c in _DOCUMENT_COLUMNS.split(",")[1:])}
"""
_SELECT = f"SELECT {', '.join('d.' + c.strip() for c in _DOCUMENT_COLUMNS.split(','))}"


class EmbeddedSearchIndex:
    """A `SearchIndex` over SQLite FTS5, safe to share between threads."""

    def __init__(
        self, path: Path | str, *, pool_size: int = 8, candidate_cap: int = 10_000
    ) -> None:
        self.path = Path(path)
        self._candidate_cap = candidate_cap
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._pool_size = pool_size
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        with self._connection() as connection:
            # Idempotent: every process that opens the index (web and worker) runs it.
            connection.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} COMMIT;")

    # --- the port ---------------------------------------------------------------------

    def upsert(self, documents: Iterable[SearchDocument]) -> None:
        rows = [_row(document) for document in documents]
        if not rows:
            return
        with self._transaction() as connection:
            connection.executemany(_UPSERT, rows)

    def remove(self, listing_ids: Iterable[str]) -> None:
        ids = [(listing_id,) for listing_id in listing_ids]
        if not ids:
            return
        with self._transaction() as connection:
            connection.executemany("DELETE FROM documents WHERE listing_id = ?", ids)

    def search(self, query: SearchQuery) -> SearchResults:
        match = fts5_match(query.text)
        with self._connection() as connection:
            # One read transaction, so the total and the page come from the same snapshot.
            connection.execute("BEGIN")
            try:
                if match is None:
                    total, hits = self._newest(connection, query)
                else:
                    total, hits = self._ranked(connection, query, match)
            finally:
                connection.execute("COMMIT")
        return SearchResults(
            hits=hits, total=total, page=query.page, per_page=query.per_page, query=query.text
        )

    def get(self, listing_id: str) -> SearchDocument | None:
        with self._connection() as connection:
            row = connection.execute(
                f"{_SELECT} FROM documents d WHERE d.listing_id = ?", (listing_id,)
            ).fetchone()
        return None if row is None else _document(row)

    # --- housekeeping -----------------------------------------------------------------

    def count(self) -> int:
        with self._connection() as connection:
            return connection.execute("SELECT count(*) FROM documents").fetchone()[0]

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

    # --- queries ----------------------------------------------------------------------

    def _newest(
        self, connection: sqlite3.Connection, query: SearchQuery
    ) -> tuple[int, list[SearchHit]]:
        total = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
        rows = connection.execute(
            f"{_SELECT} FROM documents d ORDER BY d.created_us DESC, d.listing_id LIMIT ? OFFSET ?",
            (query.per_page, query.offset),
        ).fetchall()
        hits = [_hit(_document(row), []) for row in rows]
        return total, hits

    def _ranked(
        self, connection: sqlite3.Connection, query: SearchQuery, match: str
    ) -> tuple[int, list[SearchHit]]:
        # Ranking cost grows with every matching row, and a common word ("the") matches
        # most of them. So only the most recently indexed `candidate_cap` matches are
        # ranked (FTS5 walks its index in rowid order and stops there), and the total says
        # how many can be paged through, as Meilisearch's maxTotalHits does.
        total = connection.execute(
            "SELECT count(*) FROM (SELECT rowid FROM documents_fts "
            "WHERE documents_fts MATCH ? ORDER BY rowid DESC LIMIT ?)",
            (match, self._candidate_cap),
        ).fetchone()[0]
        page_ids = [
            row[0]
            for row in connection.execute(
                "SELECT rowid FROM (SELECT rowid, "
                f"{_BM25} AS score FROM documents_fts WHERE documents_fts MATCH :match "
                "ORDER BY rowid DESC LIMIT :cap) ORDER BY score, rowid DESC "
                "LIMIT :limit OFFSET :offset",
                {
                    "match": match,
                    "cap": self._candidate_cap,
                    "limit": query.per_page,
                    "offset": query.offset,
                },
            )
        ]
        if not page_ids:
            return total, []
        rows = connection.execute(
            f"{_SELECT}, d.id FROM documents d WHERE d.id IN ({', '.join('?' * len(page_ids))})",
            page_ids,
        ).fetchall()
        by_id = {row[-1]: _document(row) for row in rows}
        # Highlighting in Python rather than with FTS5's highlight(): that one re-reads the
        # whole match list per row, which costs seconds for a short prefix such as "t".
        words = terms(query.text)
        return total, [_hit(by_id[rowid], words) for rowid in page_ids if rowid in by_id]

    # --- connections ------------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = self._idle.get_nowait()
        except queue.Empty:
            connection = self._open()
        try:
            yield connection
        except BaseException:
            if connection.in_transaction:
                connection.rollback()
            raise
        finally:
            if self._idle.qsize() < self._pool_size:
                self._idle.put(connection)
            else:
                connection.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as connection:
            # IMMEDIATE takes the write lock up front, so two writers wait for each other
            # (busy_timeout) instead of failing halfway through with SQLITE_BUSY.
            connection.execute("BEGIN IMMEDIATE")
            yield connection
            connection.execute("COMMIT")

    def _open(self) -> sqlite3.Connection:
        # Pooled connections move between threads, one thread at a time.
        connection = sqlite3.connect(
            self.path, timeout=30, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA busy_timeout=30000")
        return connection


def _row(document: SearchDocument) -> dict[str, object]:
    return {
        "listing_id": document.listing_id,
        "shop_id": document.shop_id,
        "shop_name": document.shop_name,
        "title": document.title,
        "author": document.author,
        "isbn": document.isbn,
        "identifiers": _identifiers(document.isbn),
        "condition": document.condition,
        "description": document.description,
        "price_amount": document.price_amount,
        "price_currency": document.price_currency,
        "quantity": document.quantity,
        "created_at": _utc(document.created_at).isoformat(),
        "created_us": int(_utc(document.created_at).timestamp() * 1_000_000),
        "updated_at": _utc(document.updated_at).isoformat(),
    }


def _document(row: tuple) -> SearchDocument:
    return SearchDocument(
        listing_id=row[0],
        shop_id=row[1],
        shop_name=row[2],
        title=row[3],
        author=row[4],
        isbn=row[5],
        condition=row[7],
        description=row[8],
        price_amount=row[9],
        price_currency=row[10],
        quantity=row[11],
        created_at=datetime.fromisoformat(row[12]),
        updated_at=datetime.fromisoformat(row[14]),
    )


def _identifiers(isbn: str | None) -> str | None:
    # "978-0-261-10221-7" is searchable as typed with or without the dashes.
    if not isbn:
        return None
    compact = "".join(ch for ch in isbn if ch.isalnum())
    return f"{compact} {isbn}"


def _hit(document: SearchDocument, words: list[str]) -> SearchHit:
    author = None if document.author is None else highlight(document.author, words)
    return SearchHit(
        document=document,
        highlight=Highlight(title=highlight(document.title, words), author=author),
    )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
