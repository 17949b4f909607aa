"""The rules of webhooks, free of HTTP and the database: what a shop may subscribe to,
how a delivery is signed, and when a failed one is tried again."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from services.shops.domain.errors import InvalidInput

EVENTS = (
    "order.placed",
    "order.cancelled",
    # The buyer's payment is confirmed: the order may ship now.
    "order.paid",
    "extra_charge.answered",
    "review.posted",
    "message.received",
)
SIGNATURE_HEADER = "Storefront-Signature"
URL_MAX = 2000
# The first retry soon, then twice as long each time, at most this far apart.
RETRY_CAP = timedelta(hours=1)


@dataclass(frozen=True)
class EndpointDraft:
    url: str
    host: str
    events: tuple[str, ...]


def check_endpoint(*, url: str | None, events: list[str] | None, allow_http: bool) -> EndpointDraft:
    problems: dict[str, str] = {}
    url = (url or "").strip()
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_http else ("https",)
    if len(url) > URL_MAX or parts.scheme not in schemes or not parts.hostname:
        problems["url"] = "give a full https:// address" + (
            " (http:// is allowed here, in development)" if allow_http else ""
        )
    elif parts.username or parts.password:
        problems["url"] = "the address cannot hold a user name or password"
    wanted = tuple(dict.fromkeys(events or ()))
    if not wanted or any(event not in EVENTS for event in wanted):
        problems["events"] = "pick one or more of " + ", ".join(EVENTS)
    if problems:
        raise InvalidInput(problems)
    return EndpointDraft(url=url, host=parts.hostname or "", events=wanted)


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, *, timestamp: int, body: bytes) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>`, as Stripe signs.

    The timestamp is signed with the body so a receiver can refuse an old delivery replayed.
    """
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes) -> bool:
    """What a receiver does (the sandbox example and the tests use it)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        expected = signature(secret, timestamp=int(fields["t"]), body=body)
    except (KeyError, ValueError):
        return False
    return hmac.compare_digest(expected, header)


def next_attempt(*, attempts: int, now: datetime, base: timedelta) -> datetime:
    """After the `attempts`-th failure: base, 2×base, 4×base, ... at most RETRY_CAP."""
    delay = min(base * (2 ** min(attempts - 1, 30)), RETRY_CAP)
    return now + delay


def gave_up(*, since: datetime, now: datetime, give_up_after: timedelta) -> bool:
    return now - since >= give_up_after
