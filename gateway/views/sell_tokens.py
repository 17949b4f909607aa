"""The shop's personal access tokens for its own software (the public API, docs/api.md):
the owner makes one, sees its secret once, and revokes it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue

from gateway import identity
from gateway.clients import ServiceError
from gateway.clients.tokens import TokensClient
from gateway.forms import ActionForm
from gateway.forms.sell_tokens import TokenForm
from gateway.pages.helpers import show_service_error
from gateway.pages.layout import render_page
from gateway.pages.sell_common import require_shop

blueprint = Blueprint("tokens", __name__)


def _client() -> TokensClient:
    return identity.client_of(TokensClient, "shops")


@blueprint.get("/settings/api-tokens")
def tokens() -> ResponseReturnValue:
    return _page(TokenForm())


@blueprint.post("/settings/api-tokens")
def create_token() -> ResponseReturnValue:
    shop = require_shop()
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        made = _client().create_token(shop["id"], **form.token())
    except ServiceError as error:
        show_service_error(form, error, field_names={"expires_in_days": "expires"})
        return _page(form, status=error.status)
    # Shown on this answer only, never put in the session or a flash message: the shops
    # service keeps only its hash, so nobody can read it again.
    return _page(TokenForm(formdata=None), created=made, status=201)


@blueprint.post("/settings/api-tokens/<token_id>/revoke")
def revoke_token(token_id: str) -> ResponseReturnValue:
    shop = require_shop()
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; open the page again and retry.")
    try:
        revoked = _client().revoke_token(shop["id"], token_id)
    except ServiceError as error:
        flash(error.message[:1].upper() + error.message[1:] + ".", "error")
    else:
        flash(f"“{revoked['name']}” is revoked: it no longer works.", "success")
    return redirect(url_for(".tokens"))


def _page(
    form: TokenForm, *, created: dict | None = None, status: int = 200
) -> ResponseReturnValue:
    shop = require_shop()
    try:
        found = _client().tokens(shop["id"])
    except ServiceError as error:
        if error.status != 403:
            raise
        found, is_owner = [], False
    else:
        is_owner = True
    return render_page(
        "sell/api_tokens.html",
        shop=shop,
        tokens=found,
        is_owner=is_owner,
        form=form,
        created=created,
    ), status
