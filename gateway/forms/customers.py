"""The form of the customer book: the shop's private notes and tags on one customer."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

NOTES_MAX = 2000
# Twenty tags of forty characters, with the commas between them.
TAGS_TEXT_MAX = 20 * 42


class CustomerNotesForm(FlaskForm):
    notes = TextAreaField(
        "Private notes",
        [Length(max=NOTES_MAX, message=f"Keep the notes to {NOTES_MAX} characters.")],
        description="Only you and your staff ever read these; the customer never does.",
    )
    tags = StringField(
        "Tags",
        [Length(max=TAGS_TEXT_MAX, message="That is more tags than a customer can have (20).")],
        description="Separated by commas, e.g. collects first editions, no plastic wrapping.",
    )

    def fill_from(self, customer: dict) -> None:
        self.notes.data = customer.get("notes") or ""
        self.tags.data = ", ".join(customer.get("tags") or [])

    def tag_list(self) -> list[str]:
        # Empty pieces ("a, , b" or a trailing comma) are slips of the keyboard, not tags.
        return [tag.strip() for tag in (self.tags.data or "").split(",") if tag.strip()]
