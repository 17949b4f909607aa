"""The form of a message to a shop or to a shopper.

An order page holds one per part, so each is built with a prefix naming what it is about,
and its field ids carry that prefix.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

MAX_MESSAGE = 2000


def _trimmed(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class MessageForm(FlaskForm):
    text = TextAreaField(
        "Your message",
        [
            DataRequired("Write a few words: a message cannot be empty."),
            Length(max=MAX_MESSAGE, message=f"Keep it to {MAX_MESSAGE} characters."),
        ],
        filters=[_trimmed],
    )


def message_form(about: str, *, label: str | None = None) -> MessageForm:
    """A form whose ids start with `about`, e.g. "part-<id>" or "ask"."""
    form = MessageForm(prefix=about)
    if label:
        form.text.label.text = label
    return form
