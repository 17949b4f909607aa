"""Listing and shop-settings rules on their own: ISBNs, conditions, file cells."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.shops.domain import (
    BadIsbn,
    InvalidInput,
    ShopSettings,
    canonical_condition,
    change_settings,
    check_listing,
    to_isbn13,
)
from services.shops.uploads.columns import CellError, parse_price, parse_year, read_header


def listing(**overrides):
    fields = {"title": "Dune", "price_amount": 900, "price_currency": "EUR", "quantity": 1}
    return check_listing(**(fields | overrides))


@pytest.mark.parametrize(
    ("raw", "isbn13"),
    [
        ("0-441-01359-7", "9780441013593"),
        ("0 441 01359 7", "9780441013593"),
        ("978-0-441-01359-3", "9780441013593"),
        ("080442957X", "9780804429573"),
        ("080442957x", "9780804429573"),
    ],
)
def test_to_isbn13_normalizes_isbn10_and_isbn13(raw, isbn13):
    assert to_isbn13(raw) == isbn13


@pytest.mark.parametrize("raw", ["0-441-01359-8", "978-0-441-01359-4", "12345", "1234567890123"])
def test_to_isbn13_refuses_bad_check_digits_and_lengths(raw):
    with pytest.raises(BadIsbn):
        to_isbn13(raw)


def test_check_listing_names_the_isbn_field_when_its_check_digit_is_wrong():
    with pytest.raises(InvalidInput) as refused:
        listing(isbn="0-441-01359-8")
    assert "check digit" in refused.value.fields["isbn"]


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("very_good", "Very Good"),
        ("VERY GOOD", "Very Good"),
        ("as-new", "As New"),
        ("fine", "Fine"),
        ("New", "New"),
        ("poor", "Poor"),
    ],
)
def test_canonical_condition_accepts_the_forms_and_any_case(raw, label):
    assert canonical_condition(raw) == label
    assert listing(condition=raw).condition == label


def test_check_listing_refuses_a_condition_off_the_scale_and_lists_the_scale():
    with pytest.raises(InvalidInput) as refused:
        listing(condition="mint")
    assert "Very Good" in refused.value.fields["condition"]


def test_check_listing_keeps_the_new_details():
    draft = listing(
        publisher=" Ace ",
        year=1965,
        binding="Paperback",
        condition_notes="name on flyleaf",
        categories=["Science Fiction", " Science Fiction", "Classics"],
        photos=["https://img.example/1.jpg"],
    )
    assert (draft.publisher, draft.year, draft.binding) == ("Ace", 1965, "Paperback")
    assert draft.categories == ("Science Fiction", "Classics")
    assert draft.photos == ("https://img.example/1.jpg",)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"photos": ["ftp://img.example/1.jpg"]}, "photos"),
        ({"photos": ["javascript:alert(1)"]}, "photos"),
        ({"year": 3000}, "year"),
        ({"categories": ["x" * 101]}, "categories"),
    ],
)
def test_check_listing_refuses_bad_details(overrides, field):
    with pytest.raises(InvalidInput) as refused:
        listing(**overrides)
    assert field in refused.value.fields


def test_change_settings_checks_every_field_and_names_them_as_the_api_does():
    current = ShopSettings(name="Rue des Livres", signature="Camille")
    with pytest.raises(InvalidInput) as refused:
        change_settings(
            current,
            {"ship_domestic_first": -1, "response_hours": 0, "order_handling": "sometimes"},
        )
    assert set(refused.value.fields) == {
        "shipping.domestic_first.amount",
        "order_handling.response_hours",
        "order_handling.mode",
    }


def test_change_settings_with_nothing_new_is_equal_to_the_current_settings():
    current = ShopSettings(name="Rue des Livres", signature="Camille", country="FR")
    assert change_settings(current, {"country": "fr"}) == current


@pytest.mark.parametrize(
    ("text", "currency", "amount"),
    [
        ("12.50", "EUR", 1250),
        ("12,5", "EUR", 1250),
        ("1,234.50", "USD", 123450),
        ("€ 7", "EUR", 700),
        ("1200", "JPY", 1200),
        ("0.05", "EUR", 5),
    ],
)
def test_parse_price_reads_what_booksellers_write(text, currency, amount):
    assert parse_price(text, currency=currency) == amount


@pytest.mark.parametrize("text", ["", "abc", "12.505", "1.5", "12.50"])
def test_parse_price_refuses_what_it_cannot_read(text):
    currency = "JPY" if text in ("1.5", "12.50") else "EUR"
    with pytest.raises(CellError):
        parse_price(text, currency=currency)


def test_parse_year_and_read_header_understand_abebooks_names():
    assert parse_year("c1998") == 1998
    header = read_header(["ListingID", "Title", "PubYear", "BindingText", "Color"])
    assert header.positions == {"sku": 0, "title": 1, "year": 2, "binding": 3}
    assert header.unknown == ("Color",)
    assert header.missing() == ["price"]


def test_header_pick_reads_cells_missing_at_the_end_of_a_row_as_empty():
    header = read_header(["sku", "title", "price", "quantity"])
    assert header.pick([" A-1 ", "Dune ", "9.00", "2"]) == {
        "sku": "A-1",
        "title": "Dune",
        "price": "9.00",
        "quantity": "2",
    }
    assert header.pick(["A-1", "Dune"]) == {
        "sku": "A-1",
        "title": "Dune",
        "price": "",
        "quantity": "",
    }


def test_listing_checks_the_year_against_the_time_given():
    then = datetime(1990, 6, 1, tzinfo=UTC)
    assert listing(year=1991, now=then).year == 1991
    with pytest.raises(InvalidInput) as error:
        listing(year=1992, now=then)
    assert error.value.fields == {"year": "the year must be between 1400 and 1991"}
