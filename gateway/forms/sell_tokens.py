"""The owner's forms for the shop's own software: an API token, a webhook endpoint."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length

SCOPES = [
    SelectChoice("inventory:read", "Read the listings"),
    SelectChoice("inventory:write", "Change the listings and their stock"),
    SelectChoice("orders:read", "Read the orders"),
    SelectChoice("orders:write", "Answer and ship the orders"),
]
EXPIRY = [
    SelectChoice("", "Never"),
    SelectChoice("30", "In 30 days"),
    SelectChoice("90", "In 90 days"),
    SelectChoice("365", "In a year"),
]


class TokenForm(FlaskForm):
    name = StringField(
        "Name", [DataRequired("Name the token after the program that uses it."), Length(max=100)]
    )
    scopes = SelectMultipleField(
        "What it may do",
        [DataRequired("Tick at least one thing the token may do.")],
        choices=SCOPES,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    expires = SelectField("Expires", choices=EXPIRY, default="")

    def token(self) -> dict[str, object]:
        return {
            "name": (self.name.data or "").strip(),
            "scopes": list(self.scopes.data or []),
            "expires_in_days": int(self.expires.data) if self.expires.data else None,
        }


WEBHOOK_EVENTS = [
    SelectChoice("order.placed", "A new order"),
    SelectChoice("order.cancelled", "An order cancelled"),
    SelectChoice("order.paid", "An order's payment confirmed: it may ship"),
    SelectChoice("extra_charge.answered", "The buyer's answer to an extra charge"),
    SelectChoice("review.posted", "A review of the shop"),
    SelectChoice("message.received", "A buyer's message"),
]


class WebhookForm(FlaskForm):
    url = StringField(
        "Address", [DataRequired("Give the https:// address of your receiver."), Length(max=2000)]
    )
    events = SelectMultipleField(
        "Tell it of",
        [DataRequired("Tick at least one event.")],
        choices=WEBHOOK_EVENTS,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
