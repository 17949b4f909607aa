"""The choices several forms share: the book-condition scale (the contracts' `Condition`,
as pages say it) and the countries."""

from __future__ import annotations

from wtforms import (
    SelectChoice,
)

from gateway.countries import country_choices
from services.common.contracts import Condition

# (key, how a page says it), best first: "Very good", in a sentence's case.
CONDITIONS = [(grade.value, grade.label.capitalize()) for grade in Condition.best_first()]


CONDITION_LABELS = dict(CONDITIONS)


CONDITION_CHOICES = [SelectChoice(value, label) for value, label in CONDITIONS]


def country_select() -> list[SelectChoice]:
    choices = [("", "Choose a country"), *country_choices()]
    return [SelectChoice(code, name) for code, name in choices]


def condition_key(label: str | None) -> str:
    """The service's grade ("Very Good") as this form's choice ("very_good")."""
    return (Condition.parse(label) or Condition.GOOD).value
