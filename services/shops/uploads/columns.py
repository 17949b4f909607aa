"""Inventory file columns: the header names booksellers' tools write, and each cell's text
turned into a listing's values. Pure: no database, no files.

The same columns are written by the inventory export, so an export uploads back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

# Export order; an upload accepts any order and any of the aliases below.
COLUMNS = (
    "sku",
    "title",
    "author",
    "isbn",
    "publisher",
    "year",
    "binding",
    "condition",
    "condition_notes",
    "description",
    "categories",
    "photos",
    "price",
    "quantity",
)
REQUIRED = ("sku", "title", "price")
# Header names are compared lower-case with everything but letters and digits removed,
# so "Listing ID", "listing_id" and "LISTINGID" are one name.
ALIASES = {
    "sku": ("sku", "listingid", "vendorlistingid", "itemid", "stocknumber", "bookid"),
    "title": ("title", "booktitle"),
    "author": ("author", "authors"),
    "isbn": ("isbn", "isbn13", "isbn10", "ean"),
    "publisher": ("publisher", "publishername"),
    "year": ("year", "pubyear", "yearpublished", "publicationyear", "datepublished"),
    "binding": ("binding", "bindingtext", "format"),
    "condition": ("condition", "bookcondition"),
    "condition_notes": ("conditionnotes", "conditiondescription", "jacketcondition"),
    "description": ("description", "notes", "comments"),
    "categories": ("categories", "category", "subject", "subjects"),
    "photos": ("photos", "photo", "imageurl", "imgurl", "images"),
    "price": ("price", "listprice"),
    "quantity": ("quantity", "qty"),
}
_BY_ALIAS = {alias: column for column, names in ALIASES.items() for alias in names}
# Compiled once: a 100,000-row file asks each of them for every row.
_LIST_SEPARATOR = re.compile(r"[;|]")
_PHOTO_SEPARATOR = re.compile(r"[\s;|]+")
_NOT_PRICE = re.compile(r"[^\d.,]")
_PLAIN_PRICE = re.compile(r"(\d+)\.(\d\d)")
_PRICE = {0: re.compile(r"(\d+)"), 2: re.compile(r"(\d+)(?:\.(\d{1,2}))?")}
_YEAR = re.compile(r"\D{0,3}(\d{4})\D{0,3}")
_WHOLE_NUMBER = re.compile(r"\d+")
# Currencies whose minor unit is the unit itself (ISO 4217 exponent 0).
ZERO_DECIMAL = {"JPY", "KRW", "ISK", "CLP", "VND", "HUF"}


# A cell starting with one of these runs as a formula in a spreadsheet ("=HYPERLINK(...)" is
# CSV injection); an export marks it with a leading apostrophe, and so marks a cell that
# starts with an apostrophe itself, so that reading the file back undoes exactly that.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MARKED = (*FORMULA_STARTS, "'")


def spreadsheet_text(text: str) -> str:
    """Text a spreadsheet shows as written, never runs: the mark `from_spreadsheet` undoes."""
    return "'" + text if text[:1] in _MARKED else text


def from_spreadsheet(text: str) -> str:
    """A cell as it was before `spreadsheet_text` marked it."""
    return text[1:] if text[:1] == "'" and text[1:2] in _MARKED else text


def header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class Header:
    """Which column of the file holds which listing field."""

    positions: dict[str, int]
    unknown: tuple[str, ...]

    def missing(self) -> list[str]:
        return [column for column in REQUIRED if column not in self.positions]

    def pick(self, cells: Sequence[str]) -> dict[str, str]:
        positions = self.positions
        if len(cells) > self.last:
            # Nearly every row has all its cells: no bounds check per cell.
            return {
                column: from_spreadsheet(cells[index].strip())
                for column, index in positions.items()
            }
        return {
            column: from_spreadsheet(cells[index].strip()) if index < len(cells) else ""
            for column, index in positions.items()
        }

    @cached_property
    def last(self) -> int:
        """The index of the rightmost column read."""
        return max(self.positions.values(), default=-1)


def read_header(cells: Sequence[str]) -> Header:
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, name in enumerate(cells):
        column = _BY_ALIAS.get(header_key(name))
        if column is None or column in positions:
            if name.strip():
                unknown.append(name.strip())
            continue
        positions[column] = index
    return Header(positions=positions, unknown=tuple(unknown))


class CellError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def listing_values(cells: Mapping[str, str], *, currency: str) -> dict[str, Any]:
    """Keyword arguments for `check_listing` from one row's cells, or CellError."""
    get = cells.get
    # The year is read before the price and the quantity: of several bad cells, the first
    # of these is the one a row is rejected for.
    year = parse_year(get("year", ""))
    categories = get("categories")
    photos = get("photos")
    return {
        "sku": get("sku") or None,
        "title": get("title", ""),
        "author": get("author") or None,
        "isbn": get("isbn") or None,
        "publisher": get("publisher") or None,
        "year": year,
        "binding": get("binding") or None,
        "condition": get("condition") or None,
        "condition_notes": get("condition_notes") or None,
        "description": get("description") or None,
        # Most files leave these two columns out or empty.
        "categories": _split(_LIST_SEPARATOR, categories, strip=True) if categories else [],
        "photos": _split(_PHOTO_SEPARATOR, photos, strip=False) if photos else [],
        "price_amount": parse_price(get("price", ""), currency=currency),
        "price_currency": currency,
        "quantity": parse_quantity(get("quantity", "")),
    }


def _split(separator: re.Pattern[str], text: str, *, strip: bool) -> list[str]:
    if not text:
        return []
    return [part for part in separator.split(text) if (part.strip() if strip else part)]


def parse_price(text: str, *, currency: str) -> int:
    """`12.50`, `12,50`, `1,234.50`, `€12.50` → minor units (1250, 1250, 123450, 1250)."""
    if currency not in ZERO_DECIMAL:
        # The common spelling, read without the clean-up below.
        plain = _PLAIN_PRICE.fullmatch(text)
        if plain is not None:
            return int(plain.group(1)) * 100 + int(plain.group(2))
    cleaned = _NOT_PRICE.sub("", text)
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(",", "")
    cleaned = cleaned.replace(",", ".")
    decimals = 0 if currency in ZERO_DECIMAL else 2
    match = _PRICE[decimals].fullmatch(cleaned)
    if not text.strip():
        raise CellError("price", "the price is missing")
    if match is None:
        example = "12.50" if decimals else "1250"
        raise CellError("price", f"{text!r} is not a price; write it like {example}")
    whole = int(match.group(1))
    fraction = (match.group(2) or "").ljust(decimals, "0") if decimals else ""
    return whole * 10**decimals + int(fraction or 0)


def format_price(amount: int, *, currency: str) -> str:
    if currency in ZERO_DECIMAL:
        return str(amount)
    return f"{amount // 100}.{amount % 100:02d}"


def parse_year(text: str) -> int | None:
    if not text:
        return None
    match = _YEAR.fullmatch(text)
    if match is None:
        raise CellError("year", f"{text!r} is not a year; write it like 1998")
    return int(match.group(1))


def parse_quantity(text: str) -> int:
    if not text:
        return 1  # a bookseller's file lists a copy on each row unless it says otherwise
    if not _WHOLE_NUMBER.fullmatch(text):
        raise CellError("quantity", f"{text!r} is not a whole number of copies")
    return int(text)


def export_row(listing: Any) -> list[str]:
    """One listing as the cells of an inventory file, in COLUMNS order."""
    return [
        listing.sku or "",
        listing.title,
        listing.author or "",
        listing.isbn or "",
        listing.publisher or "",
        str(listing.year) if listing.year is not None else "",
        listing.binding or "",
        listing.condition or "",
        listing.condition_notes or "",
        listing.description or "",
        "; ".join(listing.categories or []),
        " ".join(listing.photos or []),
        format_price(listing.price_amount, currency=listing.price_currency),
        str(listing.quantity),
    ]
