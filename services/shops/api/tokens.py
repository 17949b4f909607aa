"""A shop's personal access tokens, managed by its owner through the seller portal."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from pydantic import Field

from services.common.clock import utcnow
from services.common.inputs import Line, WholeNumber
from services.common.openapi import describe
from services.common.web import parse_json, require_principal
from services.shops.api.common import Body, transaction
from services.shops.api.docs import NewTokenOut, TokenOut, TokensOut, spec
from services.shops.db import ApiToken
from services.shops.domain.tokens import check_token
from services.shops.handlers import tokens as handlers
from services.shops.handlers.shops import owner_shop
from services.shops.views import iso_time

# Only the owner: staff get 403, strangers 404.
ERRORS = (400, 401, 403, 404, 422)
# More than anyone picks from the short list of choices; the domain names the unknown ones.
MAX_SCOPES = 100
blueprint = Blueprint("tokens", __name__)


class TokenIn(Body):
    name: Line | None = None
    scopes: list[Line] | None = Field(default=None, max_length=MAX_SCOPES)
    expires_in_days: WholeNumber | None = None


def token_json(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "scopes": token.scopes,
        "hint": token.hint,
        "created_at": iso_time(token.created_at),
        "last_used_at": iso_time(token.last_used_at),
        "expires_at": iso_time(token.expires_at),
        "revoked_at": iso_time(token.revoked_at),
    }


@blueprint.get("/shops/<shop_id>/tokens")
@describe(spec, tag="tokens", answer=TokensOut, errors=ERRORS)
def shop_tokens(shop_id: str) -> Response:
    principal = require_principal()
    with transaction(read_only=True) as session:
        shop = owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        tokens = handlers.tokens_of(session, shop=shop)
        return jsonify(tokens=[token_json(token) for token in tokens])


@blueprint.post("/shops/<shop_id>/tokens")
@describe(spec, tag="tokens", ok=201, answer=NewTokenOut, body=TokenIn, errors=ERRORS)
def create_token(shop_id: str) -> tuple[Response, int]:
    principal = require_principal()
    with transaction() as session:
        shop = owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        body = parse_json(TokenIn)
        draft = check_token(
            name=body.name, scopes=body.scopes, expires_in_days=body.expires_in_days, now=utcnow()
        )
        token, secret = handlers.create_token(
            session, shop=shop, draft=draft, user_id=principal.user_id
        )
        # The only answer that ever holds the secret.
        return jsonify(token_json(token) | {"secret": secret}), 201


@blueprint.delete("/shops/<shop_id>/tokens/<token_id>")
@describe(spec, tag="tokens", answer=TokenOut, errors=ERRORS)
def revoke_token(shop_id: str, token_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        token = handlers.revoke_token(session, shop=shop, token_id=token_id)
        return jsonify(token_json(token))
