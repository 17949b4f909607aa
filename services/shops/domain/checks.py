"""Field checks shared by every input rule: collect all problems, then answer once."""

from __future__ import annotations

import re

from services.shops.domain.errors import InvalidInput

_EXAMPLE = {"country": "FR", "currency": "EUR"}
_CODES = {letters: re.compile(rf"[A-Z]{{{letters}}}") for letters in (2, 3)}


class Checker:
    """Collects every field problem, so one answer lists all of them."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def required_text(self, field: str, value: str | None, *, limit: int, label: str) -> str:
        cleaned = (value or "").strip()
        if not cleaned:
            self.errors[field] = f"{label} must not be blank"
        elif len(cleaned) > limit:
            self.errors[field] = f"{label} must be at most {limit} characters"
        return cleaned

    def optional_text(self, field: str, value: str | None, *, limit: int) -> str | None:
        cleaned = (value or "").strip()
        if len(cleaned) > limit:
            self.errors[field] = f"must be at most {limit} characters"
        return cleaned or None

    def code(self, field: str, value: str | None, *, letters: int, what: str) -> str | None:
        cleaned = (value or "").strip().upper()
        pattern = _CODES[letters]
        if cleaned and not pattern.fullmatch(cleaned):
            self.errors[field] = f"must be a {letters}-letter {what} code, like {_EXAMPLE[what]}"
        return cleaned or None

    def whole_number(self, field: str, value: int, *, low: int, high: int, what: str) -> int:
        if not low <= value <= high:
            self.errors[field] = f"{what} must be between {low} and {high}"
        return value

    def done(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)


def require_text(field: str, value: str | None, *, limit: int, label: str) -> str:
    check = Checker()
    cleaned = check.required_text(field, value, limit=limit, label=label)
    check.done()
    return cleaned
