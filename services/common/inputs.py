"""The types every service's API input is made of: text, codes and bounded numbers.

One definition each, so a shop name, a listing title and a message refuse the same things:
a lone surrogate (no database can store it), NUL and the other control characters (they
break terminals, CSV files and PostgreSQL's text columns). Newlines and tabs are allowed
only where the text may span lines. Country and currency codes are checked against ISO 3166
and ISO 4217. Numbers are bounded, so no value overflows a database column or a float.

Event contracts keep their own, looser types: a stricter wire format would refuse messages
already queued. These types guard what comes in from outside.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

import pycountry
from pydantic import AfterValidator, Field, StrictInt

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; lone surrogates.
_NEVER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_ON_ONE_LINE = re.compile(r"[\t\n\r\u2028\u2029]")

# The largest amount in minor units any API accepts: ten billion in a currency's major unit,
# far beyond any order here and far below a 64-bit column (and exact as a float).
MAX_MINOR_UNITS = 10**12
# The largest count (quantity, page, hours, ...) any API accepts: fits a 32-bit column.
MAX_COUNT = 2**31 - 1
# Nested JSON deeper than this is refused before any model sees it.
MAX_JSON_DEPTH = 32


class BadText(ValueError):
    pass


def check_text(value: str, *, multiline: bool = True) -> str:
    """`value` if it holds only characters a person can type; else BadText saying why."""
    found = _NEVER.search(value)
    if found is not None:
        char = found.group()
        if "\ud800" <= char <= "\udfff":
            raise BadText("contains a broken character (a lone UTF-16 surrogate)")
        if char == "\x00":
            raise BadText("contains a NUL character (U+0000)")
        raise BadText(f"contains a control character (U+{ord(char):04X})")
    if not multiline and _NOT_ON_ONE_LINE.search(value):
        raise BadText("must fit on one line (no line breaks or tabs)")
    return value


def _line(value: str) -> str:
    return check_text(value, multiline=False)


def _text(value: str) -> str:
    return check_text(value, multiline=True)


# The checks alone, to put after a field's own StringConstraints.
OneLine = AfterValidator(_line)
Multiline = AfterValidator(_text)
# One line of text: names, titles, ids, codes, search words.
Line = Annotated[str, OneLine]
# Text that may span lines: descriptions, notes, messages, addresses.
Text = Annotated[str, Multiline]
# An identifier sent back to us: one line, never empty, never long.
Id = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_line)]


def _country(value: str) -> str:
    code = value.strip().upper()
    if not code:
        return code  # "none given": a field that needs one says so with min_length
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError("must be a country's two-letter ISO 3166 code, such as GB or DE")
    return code


def _currency(value: str) -> str:
    code = value.strip().upper()
    if not code:
        return code
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError("must be a currency's three-letter ISO 4217 code, such as EUR or GBP")
    return code


CountryCode = Annotated[str, Field(max_length=8), AfterValidator(_country)]
CurrencyCode = Annotated[str, Field(max_length=8), AfterValidator(_currency)]


def is_country(value: str) -> bool:
    try:
        return bool(_country(value))
    except ValueError:
        return False


def is_currency(value: str) -> bool:
    try:
        return bool(_currency(value))
    except ValueError:
        return False


# An amount in minor units; negative amounts are for the few fields that allow them.
MinorUnits = Annotated[StrictInt, Field(ge=-MAX_MINOR_UNITS, le=MAX_MINOR_UNITS)]
Count = Annotated[StrictInt, Field(ge=0, le=MAX_COUNT)]
# A whole number whose sign and range the domain checks with its own words; bounded here
# only so that it fits a 32-bit column on the way.
WholeNumber = Annotated[StrictInt, Field(ge=-MAX_COUNT, le=MAX_COUNT)]


class BadJson(ValueError):
    """A document refused as a whole; `where` names the field at fault (dotted), if one is."""

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(message)
        self.where = where


def check_json(value: Any, *, depth: int = 0, where: str = "") -> None:
    """Refuse a parsed JSON document nested too deep, with a non-finite or overflowing
    number, or with text no field may hold (checked as multi-line text: a one-line field
    checks again, more strictly)."""
    if depth > MAX_JSON_DEPTH:
        raise BadJson(f"nested more than {MAX_JSON_DEPTH} levels deep")
    if isinstance(value, str):
        try:
            check_text(value)
        except BadText as error:
            raise BadJson(str(error), where=where) from error
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if abs(value) > 2**63 - 1:
            raise BadJson("this number is too large", where=where)
    elif isinstance(value, float):
        if not math.isfinite(value) or abs(value) > 1e15:
            raise BadJson("this number is too large", where=where)
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            check_json(key, depth=depth + 1, where=inner)
            check_json(item, depth=depth + 1, where=inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_json(item, depth=depth + 1, where=f"{where}.{index}" if where else str(index))
