"""Prices as people type and read them, and as the services store them: integer minor
units. Conversions go through Decimal so "12.10" is exactly 1210, never 1209."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Minor units per major unit; every currency the shops use today has two decimals.
MINOR_DIGITS = 2
SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}
# Far above any real book, far below where an integer column could overflow.
MAX_MINOR_UNITS = 100_000_000
# Digits with an optional sign and fraction; no exponents, no "nan" or "inf".
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class PriceError(ValueError):
    pass


def parse_price(text: str) -> int:
    """'12.50' -> 1250. Refuses zero, negatives, more than two decimals and non-numbers."""
    cleaned = text.strip()
    if not cleaned:
        raise PriceError("Enter a price, such as 12.50.")
    # A lone comma is a decimal comma ("12,50"); thousands separators are not accepted.
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not _PLAIN_NUMBER.match(cleaned):
        raise PriceError("Enter the price as a number, such as 12.50.")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise PriceError("Enter the price as a number, such as 12.50.") from error
    if value <= 0:
        raise PriceError("The price must be more than zero.")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MINOR_DIGITS:
        raise PriceError("Use at most two decimals, such as 12.50.")
    minor = int(value.scaleb(MINOR_DIGITS))
    if minor > MAX_MINOR_UNITS:
        raise PriceError("That price is too high.")
    return minor


def format_money(money: dict | None) -> str:
    """{'amount': 1250, 'currency': 'EUR'} -> '€12.50'."""
    if not money:
        return ""
    amount = int(money.get("amount", 0))
    currency = str(money.get("currency", "EUR")).upper()
    sign = "-" if amount < 0 else ""
    major = Decimal(abs(amount)).scaleb(-MINOR_DIGITS).quantize(Decimal(1).scaleb(-MINOR_DIGITS))
    symbol = SYMBOLS.get(currency)
    if symbol:
        return f"{sign}{symbol}{major:,}"
    return f"{sign}{major:,} {currency}"
