"""Forms of the seller portal's shop and orders pages (gateway/views/sell.py): opening a
shop, and answering, charging extra for and shipping an order.

Field names double as element ids, so pages and browser tests can rely on them.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    Optional,
    ValidationError,
)

from gateway.forms.choices import country_select
from gateway.money import PriceError, parse_price


class OpenShopForm(FlaskForm):
    name = StringField("Shop name", [DataRequired("Give your shop a name."), Length(max=120)])
    signature = StringField(
        "Signature",
        [
            DataRequired("Sign with the name your customers will see on every note."),
            Length(max=120),
        ],
    )
    country = SelectField("Country", [Optional()], choices=lambda: country_select())


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


class ExtraChargeForm(FlaskForm):
    """Instead of accepting: ask the buyer to pay more, and say why."""

    amount = StringField("Extra amount", [DataRequired("How much more should the buyer pay?")])
    reason = StringField(
        "Reason",
        [DataRequired("Tell the buyer why, e.g. “heavy parcel”."), Length(max=200)],
    )
    minor_units: int = 0

    def validate_amount(self, field: StringField) -> None:
        try:
            self.minor_units = parse_price(field.data or "")
        except PriceError as error:
            raise ValidationError(str(error).replace("price", "amount")) from error
