"""Forms of the shop's settings pages (gateway/views/sell_settings.py): the shop itself,
its shipping rates and policies, and its staff.

Field names double as element ids, so pages and browser tests can rely on them.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
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

from gateway.forms.choices import country_select
from gateway.forms.sell_listings import minor_to_text
from gateway.money import PriceError, parse_price
from services.common import shipping as shipping_rule

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


class AddStaffForm(FlaskForm):
    """The owner adds someone who already has an account, by their e-mail address."""

    email = EmailField("Their e-mail address", [DataRequired("Enter their e-mail address.")])
