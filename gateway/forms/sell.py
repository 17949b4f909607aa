"""Forms of the seller portal: the shop, its listings and its orders.

Field names double as element ids, so pages and browser tests can rely on them.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
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

from gateway.countries import country_choices
from gateway.money import MINOR_DIGITS, PriceError, parse_price
from services.common import shipping as shipping_rule
from services.common.contracts import Condition

# (key, how a page says it), best first: "Very good", in a sentence's case.
CONDITIONS = [(grade.value, grade.label.capitalize()) for grade in Condition.best_first()]
CONDITION_LABELS = dict(CONDITIONS)
CONDITION_CHOICES = [SelectChoice(value, label) for value, label in CONDITIONS]


def country_select() -> list[SelectChoice]:
    choices = [("", "Choose a country"), *country_choices()]
    return [SelectChoice(code, name) for code, name in choices]


class OpenShopForm(FlaskForm):
    name = StringField("Shop name", [DataRequired("Give your shop a name."), Length(max=120)])
    signature = StringField(
        "Signature",
        [
            DataRequired("Sign with the name your customers will see on every note."),
            Length(max=120),
        ],
    )
    country = SelectField("Country", [Optional()], choices=lambda: country_select())


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


def condition_key(label: str | None) -> str:
    """The service's grade ("Very Good") as this form's choice ("very_good")."""
    return (Condition.parse(label) or Condition.GOOD).value


def minor_to_text(amount: int | None) -> str:
    """1250 -> "12.50", as a person types it back into a price field."""
    if amount is None:
        return ""
    return str(Decimal(int(amount)).scaleb(-MINOR_DIGITS).quantize(Decimal("0.01")))


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


class ExtraChargeForm(FlaskForm):
    """Instead of accepting: ask the buyer to pay more, and say why."""

    amount = StringField("Extra amount", [DataRequired("How much more should the buyer pay?")])
    reason = StringField(
        "Reason",
        [DataRequired("Tell the buyer why, e.g. “heavy parcel”."), Length(max=200)],
    )
    minor_units: int = 0

    def validate_amount(self, field: StringField) -> None:
        try:
            self.minor_units = parse_price(field.data or "")
        except PriceError as error:
            raise ValidationError(str(error).replace("price", "amount")) from error


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


class UploadForm(FlaskForm):
    file = FileField("Inventory file", description="CSV or tab-delimited, with a header row.")
    replace = BooleanField(
        "This file is my whole inventory: withdraw my listings it does not name",
        description="You will see how many first, and confirm.",
    )


# --- shop settings ----------------------------------------------------------------------

CURRENCIES = {"EUR": "Euro (EUR)", "GBP": "Pound sterling (GBP)", "USD": "US dollar (USD)"}
SHIPPING_RATES = (
    "domestic_first",
    "domestic_additional",
    "international_first",
    "international_additional",
)


def parse_rate(text: str | None) -> int:
    """A shipping rate as typed: like a price, except that free shipping (0) is allowed."""
    cleaned = (text or "").strip().replace(",", ".")
    if not cleaned:
        return 0
    try:
        if Decimal(cleaned) == 0:
            return 0
        if Decimal(cleaned) < 0:
            raise PriceError("A shipping rate cannot be negative; enter 0 for free shipping.")
    except InvalidOperation:
        pass  # parse_price says what is wrong with it
    return parse_price(cleaned)


class RateField(StringField):
    minor_units: int = 0

    def pre_validate(self, form: FlaskForm) -> None:
        try:
            self.minor_units = parse_rate(self.data)
        except PriceError as error:
            raise ValidationError(str(error)) from error


class SettingsForm(FlaskForm):
    name = StringField("Shop name", [DataRequired("Give your shop a name."), Length(max=100)])
    signature = StringField(
        "Signature",
        [
            DataRequired("Sign with the name your customers will see on every note."),
            Length(max=200),
        ],
    )
    about = TextAreaField("About the shop", [Optional(), Length(max=2000)])
    country = SelectField("Country", [Optional()], choices=lambda: country_select())
    currency = SelectField(
        "Currency",
        choices=[SelectChoice(code, label) for code, label in CURRENCIES.items()],
        default="EUR",
    )
    returns_policy = TextAreaField("Returns policy", [Optional(), Length(max=5000)])
    shipping_policy = TextAreaField("Shipping times", [Optional(), Length(max=5000)])
    domestic_first = RateField("Domestic, first item")
    domestic_additional = RateField("Domestic, each additional item")
    international_first = RateField("International, first item")
    international_additional = RateField("International, each additional item")
    free_over = RateField(
        "Free shipping from",
        description="An order of your items worth this much ships for free, anywhere. "
        "Leave empty for none.",
    )
    express_first = RateField(
        "Express at home, first item",
        description="Leave empty to offer no express service. Buyers choose it at checkout.",
    )
    express_days = IntegerField(
        "Express delivery, in days",
        [Optional(), NumberRange(min=1, max=30, message="Enter between 1 and 30 days.")],
        default=1,
    )
    pickup = BooleanField(
        "Buyers may collect their order in person at the shop",
        description="Shoppers see only your town until they order; then the buyer gets "
        "your address, and you mark the order ready to collect, then collected.",
    )
    town = StringField("Town", [Optional(), Length(max=100)],
                       description="Shoppers near you find your shop by it.")  # fmt: skip
    postal_code = StringField("Postal code", [Optional(), Length(max=20)])
    order_mode = RadioField(
        "Order handling",
        choices=[
            SelectChoice("manual", "I accept or decline each order"),
            SelectChoice("auto_accept", "Accept every order automatically"),
        ],
        default="manual",
    )
    response_hours = IntegerField(
        "Hours to answer an order",
        [
            InputRequired("Enter how many hours you take to answer, such as 48."),
            NumberRange(min=1, max=336, message="Enter between 1 and 336 hours (14 days)."),
        ],
        default=48,
        description="An order not answered in time is declined for you.",
    )
    on_vacation = BooleanField("On vacation: nobody can buy until you are back")

    def fill_from(self, shop: dict[str, Any]) -> None:
        for name in ("name", "signature", "about", "country", "currency"):
            getattr(self, name).data = shop.get(name) or ""
        if shop.get("currency") and shop["currency"] not in CURRENCIES:
            # A currency set elsewhere stays choosable rather than silently switched.
            self.currency.choices = [
                *self.currency.choices,
                SelectChoice(shop["currency"], shop["currency"]),
            ]
        policies = shop.get("policies") or {}
        self.returns_policy.data = policies.get("returns") or ""
        self.shipping_policy.data = policies.get("shipping_times") or ""
        shipping = shop.get("shipping") or {}
        for rate in SHIPPING_RATES:
            getattr(self, rate).data = minor_to_text((shipping.get(rate) or {}).get("amount", 0))
        free_over = shipping.get("free_over") or {}
        self.free_over.data = minor_to_text(free_over["amount"]) if free_over else ""
        handling = shop.get("order_handling") or {}
        self.order_mode.data = handling.get("mode") or "manual"
        self.response_hours.data = handling.get("response_hours") or 48
        self.on_vacation.data = bool(shop.get("on_vacation"))
        location = shop.get("location") or {}
        self.town.data = location.get("town") or ""
        self.postal_code.data = location.get("postal_code") or ""
        profile = shipping.get("profile") or {}
        self.pickup.data = bool(profile.get("pickup"))
        express = _home_service(profile, EXPRESS)
        self.express_first.data = minor_to_text(express["first"]) if express else ""
        self.express_days.data = (express or {}).get("days_max") or 1

    def settings(self, current: dict[str, Any] | None = None) -> dict[str, Any]:
        """The PATCH body for the shops service; `current` is the shop as it reads now,
        whose shipping profile keeps the regions and services this form does not show."""
        currency = self.currency.data
        body = self._settings(currency)
        # The shipping page (/sell/shipping) edits the whole profile; these few fields show
        # only its home and rest-of-the-world figures. Saved as they were loaded, they leave
        # the profile alone, so a profile of other regions is not given those two.
        if current is None or self._shipping_changed(current):
            body["shipping_profile"] = self.profile(current or {}, currency)
        else:
            del body["shipping"]
        return body | {
            "location": {
                "town": (self.town.data or "").strip() or None,
                "postal_code": (self.postal_code.data or "").strip() or None,
            },
        }

    def profile(self, current: dict[str, Any], currency: str) -> dict[str, Any]:
        """The shop's profile with this form's figures: the two zones, collection, and an
        express service at home."""
        stored = (current.get("shipping") or {}).get("profile")
        base = (
            shipping_rule.profile_from_dict(stored)
            if stored
            else shipping_rule.from_legacy(
                currency=currency, domestic_first=0, domestic_additional=0,
                international_first=0, international_additional=0,
            )
        )  # fmt: skip
        free = self.free_over.minor_units if (self.free_over.data or "").strip() else None
        profile = shipping_rule.with_legacy_rates(
            replace(base, currency=currency),
            {
                **{rate: getattr(self, rate).minor_units for rate in SHIPPING_RATES},
                "free_over": free or None,
            },
        )
        data = shipping_rule.profile_as_dict(profile)
        data["pickup"] = bool(self.pickup.data)
        home = next((r for r in data["regions"] if r["group"] == shipping_rule.HOME), None)
        if home is not None:
            home["services"] = [s for s in home["services"] if s["code"] != EXPRESS]
            if (self.express_first.data or "").strip():
                days = self.express_days.data or 1
                home["services"].append(
                    {"code": EXPRESS, "name": "Express", "first": self.express_first.minor_units,
                     "additional": 0, "days_min": days, "days_max": days}
                )  # fmt: skip
        return data

    def _shipping_changed(self, current: dict[str, Any]) -> bool:
        loaded = type(self)(formdata=None, meta={"csrf": False})
        loaded.fill_from(current)
        for name in (*SHIPPING_RATES, "free_over", "express_first"):
            typed, shown = getattr(self, name).data, getattr(loaded, name).data
            try:
                if parse_rate(typed) != parse_rate(shown) or bool((typed or "").strip()) != bool(
                    (shown or "").strip()
                ):
                    return True
            except PriceError:
                return True
        return (
            self.currency.data != loaded.currency.data
            or bool(self.pickup.data) != bool(loaded.pickup.data)
            or ((self.express_days.data or 1) != (loaded.express_days.data or 1))
        )

    def _settings(self, currency: str) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "signature": self.signature.data,
            "about": self.about.data or "",
            "country": self.country.data or None,
            "currency": currency,
            "policies": {
                "returns": self.returns_policy.data or "",
                "shipping_times": self.shipping_policy.data or "",
            },
            "shipping": {
                **{
                    rate: {"amount": getattr(self, rate).minor_units, "currency": currency}
                    for rate in SHIPPING_RATES
                },
                # Empty (or 0): no free shipping; the service takes null to mean so.
                "free_over": {"amount": self.free_over.minor_units, "currency": currency}
                if (self.free_over.data or "").strip() and self.free_over.minor_units
                else None,
            },
            "order_handling": {
                "mode": self.order_mode.data,
                "response_hours": self.response_hours.data,
            },
            "on_vacation": bool(self.on_vacation.data),
        }


EXPRESS = "express"


def _home_service(profile: dict[str, Any], code: str) -> dict[str, Any] | None:
    for region in profile.get("regions") or ():
        if region.get("group") == shipping_rule.HOME:
            return next((s for s in region.get("services") or () if s.get("code") == code), None)
    return None


# The service's field names ("shipping.domestic_first.amount") as this form's ("domestic_first").
SETTINGS_FIELD_NAMES = {
    "policies.returns": "returns_policy",
    "policies.shipping_times": "shipping_policy",
    "order_handling.mode": "order_mode",
    "order_handling.response_hours": "response_hours",
    **{f"shipping.{rate}.amount": rate for rate in (*SHIPPING_RATES, "free_over")},
    **{f"shipping.{rate}.currency": rate for rate in (*SHIPPING_RATES, "free_over")},
    "location.town": "town",
    "location.postal_code": "postal_code",
}
LISTING_FIELD_NAMES = {"price.amount": "price", "price.currency": "price"}


class AddStaffForm(FlaskForm):
    """The owner adds someone who already has an account, by their e-mail address."""

    email = EmailField("Their e-mail address", [DataRequired("Enter their e-mail address.")])
