"""One-click unsubscribe tokens: who stops which kind of mail, signed by this service.

The token is the whole authority of an unsubscribe request (a mail client posts it with no
session), so it names one person and one kind and nothing else. It does not expire: an
old mail's link must still work.
"""

from __future__ import annotations

from dataclasses import dataclass

import jwt

AUDIENCE = "storefront-unsubscribe"


class InvalidUnsubscribeToken(Exception):
    pass


@dataclass(frozen=True)
class Unsubscribe:
    user_id: str
    kind: str


def issue(request: Unsubscribe, *, secret: str) -> str:
    claims = {"sub": request.user_id, "kind": request.kind, "aud": AUDIENCE}
    return jwt.encode(claims, secret, algorithm="HS256")


def verify(token: str, *, secret: str) -> Unsubscribe:
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], audience=AUDIENCE, options={"require": ["sub"]}
        )
    except jwt.PyJWTError as error:
        raise InvalidUnsubscribeToken(str(error)) from error
    kind = claims.get("kind")
    if not isinstance(kind, str):
        raise InvalidUnsubscribeToken("the token names no kind of mail")
    return Unsubscribe(user_id=str(claims["sub"]), kind=kind)
