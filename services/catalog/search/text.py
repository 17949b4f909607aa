"""Turning what a shopper typed into a safe full-text query, and marking what it matched.

Shoppers type quotes, operators and punctuation (`"foo`, `AND OR (`, `C++`). None of it may
reach the search engine as syntax: we keep only the words, split and folded the way SQLite's
unicode61 tokenizer (with remove_diacritics) splits and folds them, and rebuild the query.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence

# Words past this many add little to relevance and a lot to the cost of a query.
MAX_TERMS = 16
MAX_TERM_LENGTH = 64

# Letters and digits with their combining accents; underscore and punctuation separate.
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
# The same for lower-case ASCII text, where it is just letters and digits: several times
# faster, and most listings are plain ASCII.
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def fold(word: str) -> str:
    """Lower-case without accents: "Émile" and "emile" are one word to search."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    """Every folded word of `text`, in order."""
    if text.isascii():
        # Most listings are plain ASCII: nothing to normalize, and lower() is the fold.
        found = _ASCII_WORD.findall(text.lower())
        if len(text) <= MAX_TERM_LENGTH:
            return found  # no word can be too long
        return [word[:MAX_TERM_LENGTH] for word in found]
    folded = (fold(word) for word in _WORD.findall(unicodedata.normalize("NFKC", text)))
    return [word[:MAX_TERM_LENGTH] for word in folded if word]


def terms(text: str) -> list[str]:
    """The folded words of a query, in the order typed (the first MAX_TERMS of them)."""
    return words(text)[:MAX_TERMS]


def fts5_match(
    text: str,
    corrections: Mapping[str, Sequence[str]] | None = None,
    *,
    completions: Sequence[str] | None = None,
) -> str | None:
    """An FTS5 MATCH expression for `text`, or None when it holds no words.

    Every word must match (FTS5 joins phrases with an implicit AND). Each word is a quoted
    string, so words such as AND, OR, NOT or NEAR are never read as operators. The last word
    is a prefix, because the shopper may still be typing it ("hob" finds "Hobbit"), matched
    as the prefix or, when `completions` are given, as itself or any of them (every longer
    word it begins: the same documents). A word with `corrections` matches any of them as
    well ("tolkein" OR "tolkien").
    """
    query_terms = terms(text)
    if not query_terms:
        return None
    groups = []
    for position, term in enumerate(query_terms):
        last = position == len(query_terms) - 1
        phrase = f'"{term}"' + ("*" if last and completions is None else "")
        alternatives = [f'"{word}"' for word in (completions or ()) if last]
        alternatives += [f'"{word}"' for word in (corrections or {}).get(term, ())]
        groups.append(f"({' OR '.join([phrase, *alternatives])})" if alternatives else phrase)
    # FTS5 joins bare phrases with an implicit AND, but not parenthesized groups.
    return (" AND " if any(group.startswith("(") for group in groups) else " ").join(groups)


def highlight(text: str, words: Sequence[str], *, also: Collection[str] = ()) -> str:
    """`text` HTML-escaped, with each word that the query matched wrapped in <mark>.

    `words` are the query's terms(); the last one matches as a prefix, as in the search.
    `also` are whole words matched besides (the corrections of misspelt terms).
    """
    if not words:
        return html.escape(text)
    exact, prefix = set(words[:-1]) | set(also), words[-1]
    parts: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        folded = fold(match.group())
        if folded in exact or folded.startswith(prefix):
            parts.append(html.escape(text[position : match.start()]))
            parts.append(f"<mark>{html.escape(match.group())}</mark>")
            position = match.end()
    parts.append(html.escape(text[position:]))
    return "".join(parts)
