"""Prices typed by sellers become exact minor units; minor units read as prices."""

from __future__ import annotations

import pytest

from gateway.money import PriceError, format_money, parse_price


@pytest.mark.parametrize(
    ("typed", "minor_units"),
    [
        ("12.50", 1250),
        ("12.5", 1250),
        ("12", 1200),
        ("0.01", 1),
        (" 3.10 ", 310),
        ("12,50", 1250),
        ("0.29", 29),
        ("19.99", 1999),
        ("1000000", 100_000_000),
    ],
)
def test_parse_price_is_exact(typed: str, minor_units: int):
    assert parse_price(typed) == minor_units


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "more than zero"),
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        ("12.505", "at most two decimals"),
        ("abc", "as a number"),
        ("1e3", "as a number"),
        ("NaN", "as a number"),
        ("1,000.00", "as a number"),
        ("", "Enter a price"),
    ],
)
def test_parse_price_refuses_with_a_clear_message(typed: str, message: str):
    with pytest.raises(PriceError, match=message):
        parse_price(typed)


def test_format_money_uses_symbol_and_two_decimals():
    assert format_money({"amount": 1250, "currency": "EUR"}) == "€12.50"
    assert format_money({"amount": 5, "currency": "gbp"}) == "£0.05"
    assert format_money({"amount": 123456, "currency": "CHF"}) == "1,234.56 CHF"
    assert format_money(None) == ""
