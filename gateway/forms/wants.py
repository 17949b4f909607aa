"""The form of a want: an ISBN or some words, and what the copy must be.

Field names double as element ids, so pages and browser tests can rely on them.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from gateway.countries import country_choices
from gateway.forms.choices import CONDITIONS
from gateway.money import SYMBOLS, PriceError, parse_price

BINDINGS = [
    ("hardcover", "Hardcover"),
    ("paperback", "Paperback"),
    ("softcover", "Softcover"),
    ("leather", "Leather"),
]


def _choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class WantForm(FlaskForm):
    words = StringField(
        "Words to look for",
        [Optional(), Length(max=200, message="Use at most 200 characters.")],
        description="A title, an author, any words: a listing must hold every one.",
    )
    isbn = StringField(
        "Or an ISBN",
        [Optional(), Length(max=30, message="An ISBN has 10 or 13 digits.")],
        description="ISBN-10 or ISBN-13, instead of words.",
    )
    condition_at_least = SelectField(
        "Condition at least", choices=_choices([("", "Any condition"), *CONDITIONS]), default=""
    )
    binding = SelectField("Binding", choices=_choices([("", "Any binding"), *BINDINGS]), default="")
    first_edition = BooleanField("First edition only")
    ships_to = SelectField(
        "Ships to",
        choices=lambda: _choices([("", "Anywhere, any shipping"), *country_choices()]),
        default="",
    )
    max_price = StringField(
        "Highest price",
        [Optional(), Length(max=20)],
        description="With shipping to the country above, when you choose one.",
    )
    currency = SelectField("Currency", choices=[(code, code) for code in SYMBOLS], default="EUR")

    def validate_words(self, field: StringField) -> None:
        words, isbn = (field.data or "").strip(), (self.isbn.data or "").strip()
        if words and isbn:
            raise ValidationError("Give either words or an ISBN, not both.")
        if not words and not isbn:
            raise ValidationError("Say what you are looking for: some words or an ISBN.")

    def validate_max_price(self, field: StringField) -> None:
        if (field.data or "").strip():
            try:
                parse_price(field.data)
            except PriceError as error:
                raise ValidationError(str(error)) from error

    def want(self) -> dict:
        """The want as the catalog takes it."""
        body: dict[str, object] = {"first_edition": bool(self.first_edition.data)}
        if (self.isbn.data or "").strip():
            body["isbn"] = self.isbn.data.strip()
        else:
            body["words"] = (self.words.data or "").strip()
        for name in ("condition_at_least", "binding", "ships_to"):
            if getattr(self, name).data:
                body[name] = getattr(self, name).data
        if (self.max_price.data or "").strip():
            body["max_price"] = {
                "amount": parse_price(self.max_price.data),
                "currency": self.currency.data,
            }
        return body
