"""Forms of accounts: sign up, log in, the forgotten password, the account page, and buttons
that only carry a CSRF token.

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

# The rules themselves (address, name, password strength) live in `accounts`; the views add
# their messages to these forms beside the ones below, every field at once.


class SignUpForm(FlaskForm):
    email = EmailField("Email", [DataRequired("Enter your e-mail address.")])
    display_name = StringField(
        "Display name",
        [
            DataRequired("Tell us the name shops should call you."),
            Length(max=accounts.MAX_DISPLAY_NAME_LENGTH),
        ],
    )
    password = PasswordField("Password", [DataRequired("Choose a password.")])
    confirm = PasswordField(
        "Confirm password", [EqualTo("password", "The two passwords do not match.")]
    )


class EmailOnlyForm(FlaskForm):
    """Forgotten password, or a confirmation link to send again: only an address."""

    email = EmailField("Email", [DataRequired("Enter your e-mail address.")])


class NewPasswordForm(FlaskForm):
    new_password = PasswordField("New password", [DataRequired("Choose a password.")])
    confirm = PasswordField(
        "Confirm new password", [EqualTo("new_password", "The two passwords do not match.")]
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        "Current password", [DataRequired("Enter your current password.")]
    )


class DisplayNameForm(FlaskForm):
    display_name = StringField(
        "Display name",
        [
            DataRequired("Tell us the name shops should call you."),
            Length(max=accounts.MAX_DISPLAY_NAME_LENGTH),
        ],
    )


class ChangeEmailForm(FlaskForm):
    new_email = EmailField("New e-mail address", [DataRequired("Enter the new address.")])
    password = PasswordField("Your password", [DataRequired("Enter your password.")])


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", [DataRequired("Enter your password.")])


class LogInForm(FlaskForm):
    email = EmailField("Email", [DataRequired("Enter your e-mail address.")])
    password = PasswordField("Password", [DataRequired("Enter your password.")])


class ActionForm(FlaskForm):
    """A form that is only a button (log out, remove, accept): it carries the CSRF token."""
