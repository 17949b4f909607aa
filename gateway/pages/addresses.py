"""The address form's rules for the chosen country, for every page with an address form
(the address book, checkout, guest checkout)."""

from __future__ import annotations

from gateway.forms.address import AddressFields
from services.common.postal import country_form, country_name, known_country


def form_rules(form: AddressFields) -> dict | None:
    """What the chosen country's address form asks, for the page's labels and hints."""
    code = (form.country.data or "").upper()
    if not known_country(code):
        return None
    rules = country_form(code)
    return {
        "postal_code_label": rules.postal_code_label,
        "postal_code_example": rules.postal_code_example,
        "area_label": rules.area_label,
        "areas": rules.areas,
        "country_name": country_name(code),
    }
