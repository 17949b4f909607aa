"""Every form on the site. Flask-WTF adds and checks a CSRF token on each one.

Field names double as element ids, so pages and browser tests can rely on them.
"""

from __future__ import annotations

import uuid

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from gateway import accounts
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


class SignUpForm(FlaskForm):
    email = EmailField("Email", [DataRequired("Enter your e-mail address.")])
    display_name = StringField(
        "Display name",
        [
            DataRequired("Tell us the name shops should call you."),
            Length(max=accounts.MAX_DISPLAY_NAME_LENGTH),
        ],
    )
    password = PasswordField(
        "Password",
        [
            DataRequired("Choose a password."),
            Length(
                min=accounts.MIN_PASSWORD_LENGTH,
                max=accounts.MAX_PASSWORD_LENGTH,
                message=f"Choose a password of at least {accounts.MIN_PASSWORD_LENGTH} characters.",
            ),
        ],
    )
    confirm = PasswordField(
        "Confirm password", [EqualTo("password", "The two passwords do not match.")]
    )


class LogInForm(FlaskForm):
    email = EmailField("Email", [DataRequired("Enter your e-mail address.")])
    password = PasswordField("Password", [DataRequired("Enter your password.")])


class ActionForm(FlaskForm):
    """A form that is only a button (log out, remove, accept): it carries the CSRF token."""


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
