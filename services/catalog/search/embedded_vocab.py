"""The embedded index's vocabulary: the words shoppers may misspell, and their neighbours.

`vocabulary` holds every word of the short fields (title, author, publisher, categories,
shop name) once; `vocabulary_variants` maps each deletion variant to its words (see typos).
Words are never taken out: a word no listing holds any more only costs a lookup that
matches nothing, and keeping them makes every write an insert.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from services.catalog.search.text import words
from services.catalog.search.typos import (
    MIN_VOCABULARY_LENGTH,
    allowed_typos,
    deletion_variants,
    distance,
    indexed_variants,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS vocabulary (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vocabulary_variants (
    variant TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (variant, word)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS documents_terms USING fts5vocab(documents_fts, 'row');
"""

# Corrections tried per query word: the most frequent few are what a shopper meant.
MAX_CORRECTIONS = 4
_CHUNK = 500


def vocabulary_words(texts: Iterable[str | None]) -> set[str]:
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(w for w in words(text) if len(w) >= MIN_VOCABULARY_LENGTH)
    return found


def add_words(connection: sqlite3.Connection, new_words: set[str]) -> None:
    """Record new words and their variants; inside the caller's write transaction."""
    if not new_words:
        return
    known: set[str] = set()
    ordered = sorted(new_words)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        placeholders = ", ".join("?" * len(chunk))
        known.update(
            row[0]
            for row in connection.execute(
                f"SELECT word FROM vocabulary WHERE word IN ({placeholders})", chunk
            )
        )
    new = [word for word in ordered if word not in known]
    if not new:
        return
    connection.executemany(
        "INSERT OR IGNORE INTO vocabulary (word) VALUES (?)", ((w,) for w in new)
    )
    connection.executemany(
        "INSERT OR IGNORE INTO vocabulary_variants (variant, word) VALUES (?, ?)",
        ((variant, word) for word in new for variant in indexed_variants(word)),
    )


def corrections(
    connection: sqlite3.Connection, word: str, *, typos: int | None = None
) -> list[str]:
    """Indexed words within the allowed typos of `word` (not itself), closest first."""
    limit = allowed_typos(word) if typos is None else typos
    if limit == 0:
        return []
    variants = sorted(deletion_variants(word, limit))
    placeholders = ", ".join("?" * len(variants))
    candidates = {
        row[0]
        for row in connection.execute(
            f"SELECT word FROM vocabulary_variants WHERE variant IN ({placeholders})", variants
        )
    }
    candidates.discard(word)
    close = {
        candidate: d
        for candidate in candidates
        if (d := distance(word, candidate, limit=limit)) <= limit
    }
    # Closest first. A word no listing holds any more only matches nothing.
    return sorted(close, key=lambda w: (close[w], w))[:MAX_CORRECTIONS]


def begins_other_words(connection: sqlite3.Connection, prefix: str) -> bool:
    """Whether any indexed word longer than `prefix` begins with it."""
    # A control character is in no word (the tokenizer splits on them), so every longer word
    # sorts after prefix + "\x01" and the prefix's own word is not visited: fts5vocab reads
    # the whole list of each word it returns. The vocabulary (short fields) answers most
    # questions with one index lookup; the full-text index knows the other columns' words.
    bounds = (prefix + "\x01", prefix + "\U0010ffff")
    return any(
        connection.execute(sql, bounds).fetchone()
        for sql in (
            "SELECT 1 FROM vocabulary WHERE word >= ? AND word < ? LIMIT 1",
            "SELECT 1 FROM documents_terms WHERE term >= ? AND term < ? LIMIT 1",
        )
    )


def document_frequency(connection: sqlite3.Connection, some: Iterable[str]) -> dict[str, int]:
    """How many documents hold each word now (0 for words no document holds any more)."""
    found: dict[str, int] = {}
    for word in some:
        row = connection.execute(
            "SELECT doc FROM documents_terms WHERE term = ?", (word,)
        ).fetchone()
        if row is not None:
            found[word] = row[0]
    return found
