"""Forms of the seller portal: the shop, its listings and its orders.

Field names double as element ids, so pages and browser tests can rely on them.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from gateway.countries import country_choices
from gateway.money import PriceError, parse_price

CONDITIONS = [
    ("new", "New"),
    ("as_new", "As new"),
    ("fine", "Fine"),
    ("very_good", "Very good"),
    ("good", "Good"),
    ("fair", "Fair"),
    ("poor", "Poor"),
]
CONDITION_LABELS = dict(CONDITIONS)
CONDITION_CHOICES = [SelectChoice(value, label) for value, label in CONDITIONS]


class OpenShopForm(FlaskForm):
    name = StringField("Shop name", [DataRequired("Give your shop a name."), Length(max=120)])
    signature = StringField(
        "Signature",
        [
            DataRequired("Sign with the name your customers will see on every note."),
            Length(max=120),
        ],
    )
    country = SelectField(
        "Country", [Optional()], choices=lambda: [("", "Choose a country")] + country_choices()
    )


class ListingForm(FlaskForm):
    title = StringField("Title", [DataRequired("Give the item a title."), Length(max=300)])
    author = StringField("Author", [Optional(), Length(max=200)])
    isbn = StringField("ISBN", [Optional(), Length(max=20)])
    condition = SelectField("Condition", choices=CONDITION_CHOICES, default="good")
    description = TextAreaField("Description", [Optional(), Length(max=5000)])
    price = StringField("Price", description="In euros, such as 12.50")
    quantity = IntegerField(
        "Quantity",
        [
            InputRequired("How many copies do you have? Enter a whole number."),
            NumberRange(min=0, max=100_000, message="Enter 0 or more copies."),
        ],
        default=1,
    )

    price_minor_units: int | None = None

    def validate_price(self, field: StringField) -> None:
        try:
            self.price_minor_units = parse_price(field.data or "")
        except PriceError as error:
            raise ValidationError(str(error)) from error


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        "Reason", [DataRequired("Tell the buyer why you decline."), Length(max=1000)]
    )


class ShipForm(FlaskForm):
    note = TextAreaField(
        "Note", [DataRequired("Write a few words to the buyer."), Length(max=2000)]
    )
    carrier = StringField("Carrier", [Optional(), Length(max=80)])
    tracking_number = StringField("Tracking number", [Optional(), Length(max=80)])
