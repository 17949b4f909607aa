"""ISBNs: sellers type them with hyphens and spaces, as ISBN-10 or ISBN-13; the catalog
groups copies of one edition by the ISBN-13, so that is the one form stored."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s-]")
_ISBN10 = re.compile(r"\d{9}[\dX]")
_ISBN13 = re.compile(r"\d{13}")


class BadIsbn(ValueError):
    pass


def to_isbn13(raw: str) -> str:
    """`0-15-144647-X`-like or 13-digit input → the ISBN-13 digits; BadIsbn says why not."""
    cleaned = _SEPARATORS.sub("", raw).upper()
    if _ISBN10.fullmatch(cleaned):
        if _isbn10_check(cleaned[:9]) != cleaned[9]:
            raise BadIsbn("the ISBN-10's check digit does not match; look for a typo")
        body = "978" + cleaned[:9]
        return body + _isbn13_check(body)
    if _ISBN13.fullmatch(cleaned):
        if not cleaned.startswith(("978", "979")):
            raise BadIsbn("an ISBN-13 starts with 978 or 979")
        if _isbn13_check(cleaned[:12]) != cleaned[12]:
            raise BadIsbn("the ISBN-13's check digit does not match; look for a typo")
        return cleaned
    raise BadIsbn("an ISBN has 10 or 13 digits (hyphens and spaces are fine)")


def _isbn10_check(first9: str) -> str:
    total = sum((10 - position) * int(digit) for position, digit in enumerate(first9))
    value = (11 - total % 11) % 11
    return "X" if value == 10 else str(value)


def _isbn13_check(first12: str) -> str:
    if first12.isascii():
        # Summing the digits' character codes and taking away those of twelve zeros (six
        # weighed 1, six weighed 3) costs a fraction of int() per digit: a bulk upload
        # checks an ISBN on every row.
        codes = first12.encode()
        total = sum(codes[0::2]) + 3 * sum(codes[1::2]) - 24 * ord("0")
    else:
        total = sum(map(int, first12[0::2])) + 3 * sum(map(int, first12[1::2]))
    return str((10 - total % 10) % 10)


def looks_like_isbn(text: str) -> str | None:
    """The ISBN-13 when a search box holds a valid ISBN, else None."""
    try:
        return to_isbn13(text)
    except BadIsbn:
        return None
