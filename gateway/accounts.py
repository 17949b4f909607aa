"""Account rules that need no database or web framework: passwords, e-mail addresses,
display names and the log-in rate limit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
MAX_DISPLAY_NAME_LENGTH = 80
MAX_EMAIL_LENGTH = 320

# PasswordHasher's defaults are argon2id with the RFC 9106 low-memory profile.
DEFAULT_HASHER = PasswordHasher()
_hasher = DEFAULT_HASHER
_dummy_hash: str | None = None

# Deliberately loose: the one real test of an address is whether mail arrives.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountRuleBroken(ValueError):
    """Input that breaks an account rule; `field` names the form field to show it on."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    email = normalize_email(email)
    if not email or len(email) > MAX_EMAIL_LENGTH or not _EMAIL.match(email):
        raise AccountRuleBroken("email", "Enter an e-mail address such as ada@example.org.")
    return email


def check_display_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise AccountRuleBroken("display_name", "Tell us the name shops should call you.")
    if len(name) > MAX_DISPLAY_NAME_LENGTH:
        raise AccountRuleBroken(
            "display_name", f"Keep your name under {MAX_DISPLAY_NAME_LENGTH} characters."
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountRuleBroken(
            "password", f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters."
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountRuleBroken("password", "That password is too long.")
    return password


def set_password_hasher(hasher: PasswordHasher) -> None:
    """Swap the hashing cost, e.g. for a fast test suite; production keeps the default."""
    global _hasher, _dummy_hash
    _hasher = hasher
    _dummy_hash = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def verify_nobody(password: str) -> None:
    """Spend the time a real check takes when the e-mail is unknown, so timing does not
    tell which addresses have accounts."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("no account has this password")
    verify_password(_dummy_hash, password)


@dataclass(frozen=True)
class LoginRateLimit:
    """At most `max_failures` failed log-ins per e-mail, and per IP address, in `window`."""

    max_failures: int = 10
    window: timedelta = timedelta(minutes=15)

    def retry_at(self, failure_times: list[datetime], now: datetime) -> datetime | None:
        """When the next attempt may be made, or None if one may be made now.

        Attempts are allowed again once enough failures have aged out of the window that
        fewer than `max_failures` remain inside it.
        """
        recent = sorted(t for t in failure_times if t > now - self.window)
        if len(recent) < self.max_failures:
            return None
        return recent[len(recent) - self.max_failures] + self.window


LOGIN_RATE_LIMIT = LoginRateLimit()
