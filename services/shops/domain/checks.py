"""Field checks shared by every input rule: collect all problems, then answer once."""

from __future__ import annotations

from services.common.inputs import BadText, check_text, is_country, is_currency
from services.shops.domain.errors import InvalidInput

_EXAMPLE = {"country": "FR", "currency": "EUR"}
# ISO 3166 for countries, ISO 4217 for currencies: a made-up code like ZZ is refused.
_KNOWN = {"country": is_country, "currency": is_currency}
_STANDARD = {"country": "ISO 3166", "currency": "ISO 4217"}


class Checker:
    """Collects every field problem, so one answer lists all of them."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def required_text(
        self, field: str, value: str | None, *, limit: int, label: str, multiline: bool = True
    ) -> str:
        cleaned = (value or "").strip()
        if self._unreadable(field, cleaned, multiline=multiline):
            return cleaned
        if not cleaned:
            self.errors[field] = f"{label} must not be blank"
        elif len(cleaned) > limit:
            self.errors[field] = f"{label} must be at most {limit} characters"
        return cleaned

    def optional_text(
        self, field: str, value: str | None, *, limit: int, multiline: bool = True
    ) -> str | None:
        cleaned = (value or "").strip()
        if self._unreadable(field, cleaned, multiline=multiline):
            return cleaned or None
        if len(cleaned) > limit:
            self.errors[field] = f"must be at most {limit} characters"
        return cleaned or None

    def code(self, field: str, value: str | None, *, letters: int, what: str) -> str | None:
        cleaned = (value or "").strip().upper()
        if cleaned and (len(cleaned) != letters or not _KNOWN[what](cleaned)):
            self.errors[field] = (
                f"must be a {letters}-letter {_STANDARD[what]} {what} code, like {_EXAMPLE[what]}"
            )
        return cleaned or None

    def _unreadable(self, field: str, value: str, *, multiline: bool) -> bool:
        try:
            check_text(value, multiline=multiline)
        except BadText as error:
            self.errors[field] = str(error)
            return True
        return False

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
