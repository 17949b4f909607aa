"""Forms of the shopper's site: cart and checkout with a card.

Field names double as element ids, so pages and browser tests can rely on them.
"""

from __future__ import annotations

import uuid

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)

from gateway.forms.address import AddressFields


class AddToCartForm(FlaskForm):
    quantity = IntegerField(
        "Quantity",
        [
            InputRequired("How many copies?"),
            NumberRange(min=1, max=999, message="Choose between 1 and 999 copies."),
        ],
        default=1,
    )


class CheckoutForm(AddressFields):
    # Made when the form is shown, so pressing "Place order" twice places one order.
    idempotency_key = HiddenField(default=lambda: str(uuid.uuid4()))
    save_address = BooleanField("Save this address in my address book")

    # Only the test cards of the payment provider work here; the page lists them. The card is
    # sent to the orders service and never stored by the gateway.
    card_number = StringField(
        "Card number",
        [DataRequired("Enter your card number to pay."), Length(max=40)],
        description="Test cards: 4242 4242 4242 4242 is accepted, 4000 0000 0000 0002 is "
        "declined, 4000 0000 0000 0341 is accepted but fails when a shop takes the payment.",
    )

    # The total shown on the page, in minor units: the orders service refuses to charge
    # anything else, so a shipping rate changed meanwhile is shown before paying.
    expected_total = HiddenField()

    def card_digits(self) -> str:
        return "".join(ch for ch in self.card_number.data or "" if ch.isdigit())

    def shown_total(self) -> int:
        return int((self.expected_total.data or "").strip())

    def validate_expected_total(self, field: HiddenField) -> None:
        # The page always fills it with the total it shows, in minor units. Anything else was
        # changed by hand: refuse, rather than charge a total nobody agreed to.
        data = (field.data or "").strip()
        if not (data.isascii() and data.isdigit() and len(data) <= 13):
            raise ValidationError(
                "The total shown could not be read. Check the total below and place the "
                "order again."
            )

    def validate_card_number(self, field: StringField) -> None:
        typed = (field.data or "").replace(" ", "").replace("-", "")
        if typed and (not typed.isdigit() or not 12 <= len(typed) <= 19):
            raise ValidationError("Enter the 16 digits on the card, such as 4242 4242 4242 4242.")

    def validate_idempotency_key(self, field: HiddenField) -> None:
        try:
            uuid.UUID(field.data or "")
        except ValueError as error:
            raise ValidationError("Reload the checkout page and try again.") from error
