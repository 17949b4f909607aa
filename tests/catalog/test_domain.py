"""The catalog's rules that need no database."""

from __future__ import annotations

import pytest

from services.catalog.domain import isbn13


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9780261102217", "9780261102217"),
        ("978-0-261-10221-7", "9780261102217"),
        (" 978 0261 102217 ", "9780261102217"),
        # The check digit is recomputed: grouping copies of a book forgives a typo in it.
        ("9780261102210", "9780261102217"),
        ("0261102214", "9780261102217"),
        ("0-8044-2957-X", "9780804429573"),
        ("080442957x", "9780804429573"),
        ("9790000000001", "9790000000001"),
        ("9770261102217", None),  # not a book's prefix
        ("978026110221", None),  # twelve digits
        ("97802611022170", None),  # fourteen
        ("٩٧٨٠٢٦١١٠٢٢١٧", None),  # digits, but not ASCII ones
        ("", None),
        (None, None),
    ],
)
def test_isbn13_of_an_isbn_typed_any_way(typed, expected):
    assert isbn13(typed) == expected
