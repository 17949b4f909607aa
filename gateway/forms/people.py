"""Forms of friends and favourite shops. Buttons use ActionForm (a CSRF token only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField
from wtforms.validators import DataRequired, Length

from gateway import accounts


class FollowForm(FlaskForm):
    email = EmailField(
        "E-mail address",
        [
            DataRequired("Enter the e-mail address of the person you want to follow."),
            Length(max=accounts.MAX_EMAIL_LENGTH),
        ],
        description="The exact address of their account. They decide whether to accept.",
    )


class RequestsSettingForm(FlaskForm):
    accepts_requests = BooleanField("Let people ask to follow me")


class FollowShopForm(FlaskForm):
    # The page to return to; only a path on this site is ever followed.
    next = HiddenField()
