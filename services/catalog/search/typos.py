"""Typo tolerance without spellfix1: a symmetric-delete neighbourhood and Damerau-Levenshtein.

Two words within k edits share a string reachable from each by at most k deletions. So the
index stores, for each vocabulary word, its deletion variants; a query word's own variants
find the candidates with a few indexed lookups, and the exact distance confirms them. The
rules follow Meilisearch: no typo below 5 letters, one from 5, two from 9.
"""

from __future__ import annotations

from itertools import combinations

ONE_TYPO_FROM = 5
TWO_TYPOS_FROM = 9
# Vocabulary words shorter than this can never be within reach of a 5-letter word.
MIN_VOCABULARY_LENGTH = ONE_TYPO_FROM - 1
# Variants of longer words cost much and help little: past this only the first letters count.
MAX_VARIANT_LENGTH = 16


def allowed_typos(word: str) -> int:
    if len(word) >= TWO_TYPOS_FROM:
        return 2
    return 1 if len(word) >= ONE_TYPO_FROM else 0


def deletion_variants(word: str, depth: int) -> set[str]:
    """`word` with up to `depth` letters deleted (itself included)."""
    word = word[:MAX_VARIANT_LENGTH]
    variants = {word}
    for count in range(1, min(depth, len(word) - 1) + 1):
        for positions in combinations(range(len(word)), count):
            variants.add("".join(ch for i, ch in enumerate(word) if i not in positions))
    return variants


def indexed_variants(word: str) -> set[str]:
    """What the vocabulary stores for a word: enough for any query word to reach it.

    A word of 7+ letters may be two typos away from a 9-letter query word; shorter ones can
    only be one typo away from anything that is allowed typos at all.
    """
    return deletion_variants(word, 2 if len(word) >= TWO_TYPOS_FROM - 2 else 1)


def distance(a: str, b: str, *, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), or limit + 1 beyond `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)
