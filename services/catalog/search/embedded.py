"""The embedded search adapter: SQLite FTS5 in a file of its own, no server needed.

Connections come from a small pool: a connection is used by one thread at a time, and
SQLite's WAL lets the web processes read while the worker writes. The configured path may
be a symbolic link to the live index file: a rebuild fills a new file beside it and swaps
the link atomically, and every process notices the new target at its next query.
"""

from __future__ import annotations

import logging
import os
import queue
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from services.catalog.search import embedded_query
from services.catalog.search.embedded_schema import (
    DROP_OLD,
    INSERT_SHOP_RATES,
    SCHEMA,
    SCHEMA_VERSION,
    SELECT,
    UPGRADES,
    UPSERT,
    shop_rate_rows,
    to_document,
    to_rows,
)
from services.catalog.search.embedded_vocab import add_words, vocabulary_words
from services.catalog.search.port import (
    MAX_OFFERS,
    Highlight,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from services.catalog.search.text import highlight, terms

log = logging.getLogger(__name__)
Pooled = tuple[str, sqlite3.Connection]


class EmbeddedSearchIndex:
    """A `SearchIndex` over SQLite FTS5, safe to share between threads."""

    def __init__(self, path: Path | str, *, pool_size: int = 8, candidate_cap: int = 1_000) -> None:
        self.path = Path(path)
        self.candidate_cap = candidate_cap
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._pool_size = pool_size
        self._idle: queue.LifoQueue[Pooled] = queue.LifoQueue()
        with self._connection() as connection:
            _create_schema(connection, self.path)

    # --- the port ---------------------------------------------------------------------

    def upsert(self, documents: Iterable[SearchDocument]) -> None:
        batch = list(documents)
        if not batch:
            return
        # Each distinct text once: a batch's documents share their shop's name and, mostly,
        # a few authors and publishers.
        words = vocabulary_words(
            {
                text
                for d in batch
                for text in (d.title, d.author, d.publisher, d.shop_name, " ".join(d.categories))
            }
        )
        rates = shop_rate_rows(batch)
        with self._transaction() as connection:
            connection.execute(UPSERT, (to_rows(batch),))
            connection.executemany(INSERT_SHOP_RATES, rates)
            add_words(connection, words)

    def remove(self, listing_ids: Iterable[str]) -> None:
        ids = [(listing_id,) for listing_id in listing_ids]
        if not ids:
            return
        with self._transaction() as connection:
            connection.executemany("DELETE FROM documents WHERE listing_id = ?", ids)

    def search(self, query: SearchQuery) -> SearchResults:
        with self._connection() as connection:
            # One read transaction, so the total and the page come from the same snapshot.
            connection.execute("BEGIN")
            try:
                found = embedded_query.candidates(connection, query, cap=self.candidate_cap)
                page_ids = found.page_ids
                by_id = self._documents(connection, page_ids)
                suggested = (
                    embedded_query.suggestions(connection, query)
                    if found.total == 0 and query.text.strip()
                    else []
                )
            finally:
                connection.execute("COMMIT")
        words = terms(query.text)
        also = {word for fixes in found.corrections.values() for word in fixes}
        return SearchResults(
            hits=[_hit(by_id[i], words, also) for i in page_ids if i in by_id],
            total=found.total,
            page=query.page,
            per_page=query.per_page,
            query=query.text,
            facets=found.facets,
            suggestions=suggested,
        )

    def get(self, listing_id: str) -> SearchDocument | None:
        with self._connection() as connection:
            rows = _dicts(
                connection.execute(
                    f"{SELECT} FROM documents d WHERE d.listing_id = ?", (listing_id,)
                )
            )
        return to_document(rows[0]) if rows else None

    def offers(self, work_id: str) -> list[SearchDocument]:
        with self._connection() as connection:
            rows = _dicts(
                connection.execute(
                    f"{SELECT} FROM documents d WHERE d.work_id = ? "
                    "ORDER BY d.landed_amount, d.price_amount, d.id LIMIT ?",
                    (work_id, MAX_OFFERS),
                )
            )
        return [to_document(row) for row in rows]

    def offer_counts(self, work_ids: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(work_ids))
        if not wanted:
            return {}
        with self._connection() as connection:
            return dict(
                connection.execute(
                    f"SELECT work_id, count(*) FROM documents WHERE work_id IN "
                    f"({', '.join('?' * len(wanted))}) GROUP BY work_id",
                    wanted,
                ).fetchall()
            )

    def build_replacement(self) -> EmbeddedSearchIndex:
        fresh = self.path.with_name(f"{self.path.name}.{uuid.uuid4().hex[:12]}")
        return EmbeddedSearchIndex(
            fresh, pool_size=self._pool_size, candidate_cap=self.candidate_cap
        )

    def swap_in(self, replacement: EmbeddedSearchIndex) -> None:  # type: ignore[override]
        if replacement.path.parent.resolve() != self.path.parent.resolve():
            raise ValueError("a replacement index must live beside the one it replaces")
        previous = os.path.realpath(self.path)
        replacement.close()
        link = self.path.with_name(f"{self.path.name}.swap-{uuid.uuid4().hex[:8]}")
        os.symlink(replacement.path.name, link)
        # rename(2) replaces the name atomically: a reader opens the old file or the new one.
        os.replace(link, self.path)
        if previous != os.path.realpath(self.path) and Path(previous).name != self.path.name:
            # An older generation: processes still reading it keep their open file.
            for suffix in ("", "-wal", "-shm"):
                Path(previous + suffix).unlink(missing_ok=True)

    # --- housekeeping -----------------------------------------------------------------

    def count(self) -> int:
        with self._connection() as connection:
            return connection.execute("SELECT count(*) FROM documents").fetchone()[0]

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait()[1].close()
            except queue.Empty:
                return

    def _documents(
        self, connection: sqlite3.Connection, ids: list[int]
    ) -> dict[int, SearchDocument]:
        if not ids:
            return {}
        cursor = connection.execute(
            f"{SELECT}, d.id AS id FROM documents d WHERE d.id IN ({', '.join('?' * len(ids))})",
            ids,
        )
        return {row["id"]: to_document(row) for row in _dicts(cursor)}

    # --- connections ------------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        # The link's target names the live file; a swap changes it under every process.
        target = os.path.realpath(self.path)
        try:
            owner, connection = self._idle.get_nowait()
            while owner != target:
                connection.close()
                owner, connection = self._idle.get_nowait()
        except queue.Empty:
            connection = self._open(target)
        try:
            yield connection
        except BaseException:
            if connection.in_transaction:
                connection.rollback()
            raise
        finally:
            if self._idle.qsize() < self._pool_size:
                self._idle.put((target, connection))
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

    def _open(self, target: str) -> sqlite3.Connection:
        # Pooled connections move between threads, one thread at a time.
        connection = sqlite3.connect(
            target, timeout=30, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA busy_timeout=30000")
        connection.execute("PRAGMA cache_size=-65536")
        # Reads map the file instead of copying its pages through read(2).
        connection.execute("PRAGMA mmap_size=1073741824")
        # A query's candidates go to a temporary table: keep it off the disk.
        connection.execute("PRAGMA temp_store=MEMORY")
        return connection


def _create_schema(connection: sqlite3.Connection, path: Path) -> None:
    # Idempotent: every process that opens the index (web and worker) runs it.
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    before = ""
    if version in UPGRADES:
        before = UPGRADES[version]
    elif version not in (0, SCHEMA_VERSION):
        log.warning(
            "search index file has an older schema; starting it empty: "
            "run python -m services.catalog.reindex to refill it",
            extra={"path": str(path), "version": version},
        )
        before = DROP_OLD
    try:
        connection.executescript(f"BEGIN IMMEDIATE; {before} {SCHEMA} COMMIT;")
    except sqlite3.OperationalError as error:
        if not before or "duplicate column" not in str(error):
            raise
        # Another process upgraded the file between our look at its version and our lock.
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        connection.executescript(f"BEGIN IMMEDIATE; {SCHEMA} COMMIT;")


def _dicts(cursor: sqlite3.Cursor) -> list[dict]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _hit(document: SearchDocument, words: list[str], also: set[str]) -> SearchHit:
    author = None if document.author is None else highlight(document.author, words, also=also)
    return SearchHit(
        document=document,
        highlight=Highlight(title=highlight(document.title, words, also=also), author=author),
    )
