"""Forms of the shopper's site: cart and checkout.

Field names double as element ids, so pages and browser tests can rely on them.
"""

from __future__ import annotations

import uuid

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)

from gateway.countries import country_choices


class AddToCartForm(FlaskForm):
    quantity = IntegerField(
        "Quantity",
        [
            InputRequired("How many copies?"),
            NumberRange(min=1, max=999, message="Choose between 1 and 999 copies."),
        ],
        default=1,
    )


class CheckoutForm(FlaskForm):
    # Made when the form is shown, so pressing "Place order" twice places one order.
    idempotency_key = HiddenField(default=lambda: str(uuid.uuid4()))
    name = StringField(
        "Name", [DataRequired("Whom should the parcels be addressed to?"), Length(max=120)]
    )
    address = TextAreaField(
        "Address", [DataRequired("Where should the parcels go?"), Length(max=500)]
    )
    country = SelectField(
        "Country",
        [DataRequired("Which country is the address in?")],
        choices=lambda: [("", "Choose a country")] + country_choices(),
    )

    def validate_idempotency_key(self, field: HiddenField) -> None:
        try:
            uuid.UUID(field.data or "")
        except ValueError as error:
            raise ValidationError("Reload the checkout page and try again.") from error
