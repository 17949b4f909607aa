"""Forms of accounts: sign up, log in, and buttons that only carry a CSRF token.

Field names double as element ids, so pages and browser tests can rely on them.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    Length,
)

from gateway import accounts


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
