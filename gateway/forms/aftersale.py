"""Forms after the sale: the buyer's report and steps, the shop's answers, the operator's
decisions. Amounts are typed as people write them ("4.50") and sent in minor units."""

from __future__ import annotations

import uuid

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from gateway.money import PriceError, parse_price

REASONS = [
    ("not_arrived", "It has not arrived"),
    ("damaged", "It arrived damaged"),
    ("not_as_described", "It is not as described"),
    ("other", "Something else"),
]


def _trimmed(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class ReportForm(FlaskForm):
    reason = SelectField("What went wrong?", choices=REASONS, validators=[DataRequired()])
    message = TextAreaField(
        "Tell the shop about it",
        [DataRequired("Write a few words for the shop."), Length(max=2000)],
        filters=[_trimmed],
    )


class ReturnSentForm(FlaskForm):
    carrier = StringField("Carrier", [Optional(), Length(max=100)], filters=[_trimmed])
    tracking_number = StringField(
        "Tracking number", [Optional(), Length(max=200)], filters=[_trimmed]
    )


class EscalateForm(FlaskForm):
    message = TextAreaField(
        "Why should the platform decide?", [Optional(), Length(max=2000)], filters=[_trimmed]
    )


class ReturnAddressForm(FlaskForm):
    address = TextAreaField(
        "Send it back to",
        [DataRequired("Give the address the parcel goes back to."), Length(max=2000)],
        filters=[_trimmed],
    )
    message = TextAreaField(
        "Message to the buyer", [Optional(), Length(max=2000)], filters=[_trimmed]
    )


def _amount(field: StringField) -> int | None:
    text = (field.data or "").strip()
    if not text:
        return None
    try:
        return parse_price(text)
    except PriceError as error:
        raise ValidationError(str(error).replace("price", "amount")) from error


class RefundForm(FlaskForm):
    """Empty amounts refund everything still refundable. The key is made when the page is
    shown, so a form sent twice (a double click, a retry) refunds once."""

    items = StringField("Items", [Optional()], filters=[_trimmed])
    shipping = StringField("Shipping", [Optional()], filters=[_trimmed])
    message = TextAreaField(
        "Message to the buyer", [Optional(), Length(max=2000)], filters=[_trimmed]
    )
    key = HiddenField(default=lambda: str(uuid.uuid4()))
    items_minor: int | None = None
    shipping_minor: int | None = None

    def validate_items(self, field: StringField) -> None:
        self.items_minor = _amount(field)

    def validate_shipping(self, field: StringField) -> None:
        self.shipping_minor = _amount(field)

    def validate_key(self, field: HiddenField) -> None:
        if not field.data:
            field.data = str(uuid.uuid4())

    def body(self) -> dict[str, object]:
        body: dict[str, object] = {"idempotency_key": self.key.data, "message": self.message.data}
        if self.items_minor is not None or self.shipping_minor is not None:
            body["items"] = self.items_minor or 0
            body["shipping"] = self.shipping_minor or 0
        return body


class DecisionForm(RefundForm):
    decision = RadioField(
        "Decision",
        choices=[
            ("refund", "Refund the buyer from the shop's proceeds"),
            ("close", "Close in the shop's favour"),
        ],
        validators=[DataRequired("Choose a decision.")],
    )
    reason = TextAreaField(
        "Reason (both sides read it)",
        [DataRequired("Give the reason both sides will read."), Length(max=2000)],
        filters=[_trimmed],
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason", [DataRequired("Give a reason."), Length(max=2000)], filters=[_trimmed]
    )
