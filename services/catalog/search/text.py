"""Turning what a shopper typed into a safe full-text query.

Shoppers type quotes, operators and punctuation (`"foo`, `AND OR (`, `C++`). None of it may
reach the search engine as syntax: we keep only the words, the way the engine's tokenizer
would split them, and rebuild the query from those.
"""

from __future__ import annotations

import re
import unicodedata

# Words past this many add little to relevance and a lot to the cost of a query.
MAX_TERMS = 16
MAX_TERM_LENGTH = 64

# Letters and digits, as SQLite's unicode61 tokenizer sees them (underscore separates).
_WORD = re.compile(r"[^\W_]+")


def terms(text: str) -> list[str]:
    """The words of `text`, normalised and lower-cased, in the order typed."""
    normalized = unicodedata.normalize("NFKC", text).casefold()
    return [word[:MAX_TERM_LENGTH] for word in _WORD.findall(normalized)][:MAX_TERMS]


def fts5_match(text: str) -> str | None:
    """An FTS5 MATCH expression for `text`, or None when it holds no words.

    Every word must match (FTS5 joins phrases with an implicit AND). Each word is a quoted
    string, so words such as AND, OR, NOT or NEAR are never read as operators. The last word
    is a prefix, because the shopper may still be typing it ("hob" finds "Hobbit").
    """
    words = terms(text)
    if not words:
        return None
    phrases = [f'"{word}"' for word in words]
    phrases[-1] += "*"
    return " ".join(phrases)
