"""Personal access tokens: a shop's own software speaks for the shop with one of these.

The token is shown once; only its SHA-256 is kept. A fast hash is enough here (unlike a
password) because the token is 256 random bits: nobody can guess one from its hash.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.shops.domain.errors import InvalidInput

PREFIX = "sft_"
SCOPES = ("inventory:read", "inventory:write", "orders:read", "orders:write")
NAME_MAX = 100
EXPIRY_DAYS_MAX = 366 * 2


@dataclass(frozen=True)
class TokenDraft:
    name: str
    scopes: tuple[str, ...]
    expires_at: datetime | None


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_secret(text: str) -> bool:
    return text.startswith(PREFIX) and 20 < len(text) < 100


def check_token(
    *, name: str | None, scopes: list[str] | None, expires_in_days: int | None, now: datetime
) -> TokenDraft:
    problems: dict[str, str] = {}
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        problems["name"] = f"give the token a name of 1 to {NAME_MAX} characters"
    wanted = tuple(dict.fromkeys(scopes or ()))
    unknown = [scope for scope in wanted if scope not in SCOPES]
    if not wanted or unknown:
        problems["scopes"] = "pick one or more of " + ", ".join(SCOPES)
    if expires_in_days is not None and not 1 <= expires_in_days <= EXPIRY_DAYS_MAX:
        problems["expires_in_days"] = f"a token expires after 1 to {EXPIRY_DAYS_MAX} days"
    if problems:
        raise InvalidInput(problems)
    expires_at = now + timedelta(days=expires_in_days) if expires_in_days else None
    ordered = tuple(scope for scope in SCOPES if scope in wanted)
    return TokenDraft(name=name, scopes=ordered, expires_at=expires_at)


def usable(*, revoked_at: datetime | None, expires_at: datetime | None, now: datetime) -> bool:
    return revoked_at is None and (expires_at is None or expires_at > now)
