"""Forms of the seller's listings pages (gateway/views/sell_listings.py): one listing, and
a change to many at once.

Field names double as element ids, so pages and browser tests can rely on them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from gateway.forms.choices import CONDITION_CHOICES, condition_key
from gateway.money import MINOR_DIGITS, PriceError, parse_price


class ListingForm(FlaskForm):
    """A new listing, and the same form prefilled to edit one."""

    title = StringField("Title", [DataRequired("Give the item a title."), Length(max=300)])
    author = StringField("Author", [Optional(), Length(max=200)])
    isbn = StringField("ISBN", [Optional(), Length(max=20)])
    sku = StringField(
        "SKU",
        [Optional(), Length(max=100)],
        description="Your own stock number; left empty, the listing gets one (L-…).",
    )
    publisher = StringField("Publisher", [Optional(), Length(max=300)])
    year = IntegerField(
        "Year",
        [Optional(), NumberRange(min=1400, max=2200, message="Enter a year such as 1998.")],
    )
    binding = StringField(
        "Binding", [Optional(), Length(max=100)], description="Such as Hardcover or Paperback."
    )
    condition = SelectField("Condition", choices=CONDITION_CHOICES, default="good")
    condition_notes = TextAreaField("Condition notes", [Optional(), Length(max=2000)])
    description = TextAreaField("Description", [Optional(), Length(max=5000)])
    categories = StringField(
        "Categories", [Optional(), Length(max=2000)], description="Separated by semicolons."
    )
    photos = TextAreaField(
        "Photos", [Optional(), Length(max=20_000)], description="One https:// address per line."
    )
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

    def listing_fields(self, *, currency: str) -> dict[str, Any]:
        """The listing as the shops service takes it; blank optional fields are cleared."""
        return {
            "title": self.title.data,
            "author": self.author.data or None,
            "isbn": self.isbn.data or None,
            "sku": self.sku.data or None,
            "publisher": self.publisher.data or None,
            "year": self.year.data,
            "binding": self.binding.data or None,
            "condition": self.condition.data,
            "condition_notes": self.condition_notes.data or "",
            "description": self.description.data or "",
            "categories": split_list(self.categories.data, separators=";"),
            "photos": split_list(self.photos.data, separators="\n"),
            "price": {"amount": self.price_minor_units, "currency": currency},
            "quantity": self.quantity.data,
        }

    def fill_from(self, listing: dict[str, Any]) -> None:
        """Prefill from a listing as the service sends it."""
        for name in ("title", "author", "isbn", "sku", "publisher", "year", "binding"):
            getattr(self, name).data = listing.get(name)
        self.condition.data = condition_key(listing.get("condition"))
        self.condition_notes.data = listing.get("condition_notes") or ""
        self.description.data = listing.get("description") or ""
        self.categories.data = "; ".join(listing.get("categories") or [])
        self.photos.data = "\n".join(listing.get("photos") or [])
        self.price.data = minor_to_text((listing.get("price") or {}).get("amount"))
        self.quantity.data = listing.get("quantity")


def split_list(text: str | None, *, separators: str) -> list[str]:
    items = [text or ""]
    for separator in separators:
        items = [piece for item in items for piece in item.split(separator)]
    return [item.strip() for item in items if item.strip()]


def minor_to_text(amount: int | None) -> str:
    """1250 -> "12.50", as a person types it back into a price field."""
    if amount is None:
        return ""
    return str(Decimal(int(amount)).scaleb(-MINOR_DIGITS).quantize(Decimal("0.01")))


# --- inventory --------------------------------------------------------------------------

PRICE_ACTIONS = [
    SelectChoice("", "Keep prices"),
    SelectChoice("set", "Set price to"),
    SelectChoice("percent", "Change price by %"),
]


QUANTITY_ACTIONS = [
    SelectChoice("", "Keep quantities"),
    SelectChoice("set", "Set quantity to"),
    SelectChoice("add", "Add copies"),
]


class BulkChangeForm(FlaskForm):
    """One price change and/or one quantity change for the rows ticked in the table."""

    price_action = SelectField("Price", choices=PRICE_ACTIONS, default="")
    price_value = StringField("New price or percent", [Optional(), Length(max=20)])
    quantity_action = SelectField("Quantity", choices=QUANTITY_ACTIONS, default="")
    quantity_value = IntegerField(
        "New quantity or copies to add",
        [Optional(), NumberRange(min=-100_000, max=100_000, message="Enter a whole number.")],
    )

    def change(self) -> dict[str, Any]:
        """The change as the shops service takes it, or ValidationError with what to fix."""
        change: dict[str, Any] = {}
        value = (self.price_value.data or "").strip()
        if self.price_action.data == "set":
            try:
                change["set_price"] = parse_price(value)
            except PriceError as error:
                self.price_value.errors = [str(error)]
        elif self.price_action.data == "percent":
            try:
                percent = Decimal(value.rstrip("%").replace(",", ".") or "x")
            except InvalidOperation:
                percent = None
            if percent is None or not percent.is_finite() or not -99 <= percent <= 1000:
                self.price_value.errors = ["Enter a percentage from -99 to 1000, such as -10."]
            else:
                change["adjust_price_percent"] = float(percent)
        if self.quantity_action.data:
            if self.quantity_value.data is None:
                self.quantity_value.errors = ["Enter a whole number of copies."]
            elif self.quantity_action.data == "set":
                if self.quantity_value.data < 0:
                    self.quantity_value.errors = ["Enter 0 or more copies."]
                change["set_quantity"] = self.quantity_value.data
            else:
                change["adjust_quantity"] = self.quantity_value.data
        if self.price_value.errors or self.quantity_value.errors:
            raise ValidationError("Check the bulk change.")
        if not change:
            raise ValidationError("Choose a price or quantity change to apply.")
        return change


LISTING_FIELD_NAMES = {"price.amount": "price", "price.currency": "price"}
