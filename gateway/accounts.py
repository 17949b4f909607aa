"""Account rules that need no database or web framework: passwords, e-mail addresses,
display names, the tokens sent by mail and the log-in throttles."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

# OWASP ASVS 2.1.1 asks for at least 12 characters; 2.1.7 for refusing breached and common
# passwords, which zxcvbn does locally from its frequency lists (nothing leaves the machine).
MIN_PASSWORD_LENGTH = 12
# zxcvbn's scale: 0 too guessable ... 4 very unguessable. 3 is "safely unguessable".
MIN_PASSWORD_SCORE = 3
# zxcvbn's cost grows with the length; the JavaScript original looks at the first 100 too.
_STRENGTH_CHECKED_LENGTH = 100
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


class AccountRulesBroken(AccountRuleBroken):
    """Several fields at once, so a form shows every problem in one go; `problems` maps each
    field to its message (the first one is also `field` and `message`)."""

    def __init__(self, problems: dict[str, str]):
        field, message = next(iter(problems.items()))
        super().__init__(field, message)
        self.problems = problems


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


def check_password(password: str, *, field: str = "password", about: Iterable[str] = ()) -> str:
    """A new password, or AccountRuleBroken saying why not. `about` holds what the person
    told us (address, name): a password made of them is easy to guess for anyone who knows
    them. Only new passwords are checked; logging in with an older one still works."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountRuleBroken(
            field, f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters."
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountRuleBroken(field, "That password is too long.")
    hints = [word for value in about for word in re.split(r"[@.\s_-]+", value) if word]
    verdict = zxcvbn(password[:_STRENGTH_CHECKED_LENGTH], user_inputs=hints)
    if verdict["score"] < MIN_PASSWORD_SCORE:
        feedback = verdict["feedback"]
        why = feedback.get("warning") or "It would be easy to guess."
        advice = " ".join(feedback.get("suggestions") or []) or "Add a few uncommon words."
        raise AccountRuleBroken(
            field, f"Choose a password that is harder to guess. {_sentence(why)} {advice}"
        )
    return password


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def sign_up_problems(email: str, display_name: str, password: str) -> dict[str, str]:
    """Every rule a sign-up breaks, field by field (empty when it breaks none)."""
    problems: dict[str, str] = {}
    for field, check in (
        ("email", lambda: check_email(email)),
        ("display_name", lambda: check_display_name(display_name)),
        ("password", lambda: check_password(password, about=(email, display_name))),
    ):
        try:
            check()
        except AccountRuleBroken as broken:
            problems[field] = broken.message
    return problems


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


# --- tokens sent by mail --------------------------------------------------------------------

VERIFY_TOKEN_LIFETIME = timedelta(days=2)
# A reset link opens the account to whoever holds it: short-lived (ASVS 2.5.1 asks for at
# most an hour), single-use.
RESET_TOKEN_LIFETIME = timedelta(hours=1)


def new_token() -> tuple[str, str]:
    """A fresh token for a link, and the hash that is all we keep of it."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    # A plain SHA-256 is enough: the token is 256 random bits, not a guessable password.
    return hashlib.sha256(token.encode()).hexdigest()


# --- log-in throttles -----------------------------------------------------------------------


@dataclass(frozen=True)
class PairThrottle:
    """A growing wait between failed log-ins of one address from one client.

    The first `free_failures` cost nothing (typos happen); after that each failure doubles
    the wait before the next attempt, from `first_delay` up to `max_delay`. Failures older
    than `memory` are forgotten. Only that pair waits: the owner of the address logging in
    from another client is never held up by someone guessing elsewhere.
    """

    free_failures: int = 3
    first_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(minutes=15)
    memory: timedelta = timedelta(hours=1)

    def delay_after(self, failures: int) -> timedelta:
        if failures < self.free_failures:
            return timedelta(0)
        doublings = min(failures - self.free_failures, 30)
        return min(self.first_delay * 2**doublings, self.max_delay)

    def retry_at(self, failure_times: list[datetime], now: datetime) -> datetime | None:
        """When the pair may try again, or None if it may try now."""
        recent = [t for t in failure_times if t > now - self.memory]
        if len(recent) < self.free_failures:
            return None
        moment = max(recent) + self.delay_after(len(recent))
        return moment if moment > now else None


PAIR_THROTTLE = PairThrottle()


@dataclass(frozen=True)
class LoginRateLimit:
    """At most `max_failures` failed log-ins from one client (IP address) in `window`, whatever
    the addresses it tries: a limit on one guesser, never on an account."""

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
