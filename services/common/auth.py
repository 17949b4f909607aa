"""Short-lived service tokens: the gateway signs who is asking, each service verifies it.

A token names the user and the shops they are a member of. Services trust nothing else the
gateway sends about identity, and check ownership themselves against the token.

A call one part of the system makes as itself (not for a person) carries a token of its own
audience, naming the caller: a person's token never opens those routes, and a caller's token
never stands for a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import jwt

from services.common.clock import utcnow

ALGORITHM = "HS256"
AUDIENCE = "storefront-services"
SERVICE_AUDIENCE = "storefront-service-calls"
DEFAULT_TTL = timedelta(seconds=120)


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class Principal:
    user_id: str
    name: str
    shop_ids: frozenset[str] = field(default_factory=frozenset)

    def is_member_of(self, shop_id: str) -> bool:
        return shop_id in self.shop_ids


def _signed(claims: dict, *, audience: str, secret: str, ttl: timedelta) -> str:
    now = utcnow()
    return jwt.encode(
        {**claims, "aud": audience, "iat": now, "exp": now + ttl}, secret, algorithm=ALGORITHM
    )


def _verified(token: str, *, audience: str, secret: str) -> dict:
    """The token's claims, if `secret` signed it for `audience` and it has not expired."""
    try:
        return jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=audience,
            options={"require": ["sub", "exp", "aud"]},
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from error


def issue_token(principal: Principal, *, secret: str, ttl: timedelta = DEFAULT_TTL) -> str:
    claims = {
        "sub": principal.user_id,
        "name": principal.name,
        "shops": sorted(principal.shop_ids),
    }
    return _signed(claims, audience=AUDIENCE, secret=secret, ttl=ttl)


def verify_token(token: str, *, secret: str) -> Principal:
    claims = _verified(token, audience=AUDIENCE, secret=secret)
    return Principal(
        user_id=str(claims["sub"]),
        name=str(claims.get("name", "")),
        shop_ids=frozenset(str(s) for s in claims.get("shops", [])),
    )


def issue_service_token(caller: str, *, secret: str, ttl: timedelta = DEFAULT_TTL) -> str:
    """A token for a call `caller` (e.g. "gateway") makes as itself."""
    return _signed({"sub": caller}, audience=SERVICE_AUDIENCE, secret=secret, ttl=ttl)


def verify_service_token(token: str, *, secret: str) -> str:
    """The caller a service token names, or InvalidToken (a person's token included)."""
    return str(_verified(token, audience=SERVICE_AUDIENCE, secret=secret)["sub"])


# --- the platform's operators ---------------------------------------------------------------
# An operator's token has an audience of its own: it never verifies as a person's token, so
# an operator is no shopper and no member of any shop in any service, and a person's token
# never opens an operator's route.
OPERATOR_AUDIENCE = "storefront-operators"


@dataclass(frozen=True)
class Operator:
    user_id: str
    name: str


def issue_operator_token(operator: Operator, *, secret: str, ttl: timedelta = DEFAULT_TTL) -> str:
    claims = {"sub": operator.user_id, "name": operator.name, "role": "operator"}
    return _signed(claims, audience=OPERATOR_AUDIENCE, secret=secret, ttl=ttl)


def verify_operator_token(token: str, *, secret: str) -> Operator:
    claims = _verified(token, audience=OPERATOR_AUDIENCE, secret=secret)
    if claims.get("role") != "operator":
        raise InvalidToken("not an operator's token")
    return Operator(user_id=str(claims["sub"]), name=str(claims.get("name", "")))
