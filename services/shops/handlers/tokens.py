"""A shop's personal access tokens: made and revoked by its owner, checked on every use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.common.clock import as_utc, utcnow
from services.shops.db import ApiToken, Shop
from services.shops.domain import NotFound
from services.shops.domain.tokens import (
    TokenDraft,
    hash_secret,
    looks_like_secret,
    new_secret,
    usable,
)

# Writing last_used_at on every call would make each read a write; a minute is precise
# enough for an owner wondering whether a token is still in use.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class Caller:
    """Who is calling the public API: one shop, through one token, with its scopes."""

    token_id: str
    shop_id: str
    scopes: frozenset[str]
    # Its last-used time is older than LAST_USED_PRECISION, so worth writing again.
    stale: bool = False


def create_token(
    session: Session, *, shop: Shop, draft: TokenDraft, user_id: str
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored and so never shown again."""
    secret = new_secret()
    token = ApiToken(
        shop_id=shop.id,
        name=draft.name,
        scopes=list(draft.scopes),
        secret_hash=hash_secret(secret),
        hint=secret[:10],
        created_by=user_id,
        created_at=utcnow(),
        expires_at=draft.expires_at,
    )
    session.add(token)
    session.flush()
    return token, secret


def tokens_of(session: Session, *, shop: Shop) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.shop_id == shop.id).order_by(ApiToken.created_at)
    return list(session.scalars(query))


def revoke_token(session: Session, *, shop: Shop, token_id: str) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.shop_id != shop.id:
        raise NotFound("no such token in this shop")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def find_caller(session: Session, *, secret: str) -> Caller | None:
    """The caller behind a secret, or None when it is unknown, revoked or expired."""
    if not looks_like_secret(secret):
        return None
    token = session.scalars(
        select(ApiToken).where(ApiToken.secret_hash == hash_secret(secret))
    ).first()
    if token is None:
        return None
    now = utcnow()
    expires_at = as_utc(token.expires_at) if token.expires_at else None
    if not usable(revoked_at=token.revoked_at, expires_at=expires_at, now=now):
        return None
    last = as_utc(token.last_used_at) if token.last_used_at else None
    return Caller(
        token_id=token.id,
        shop_id=token.shop_id,
        scopes=frozenset(token.scopes),
        stale=last is None or now - last > LAST_USED_PRECISION,
    )


def touch(session: Session, *, token_id: str) -> None:
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow()))
