"""The shop's webhooks: the owner registers receivers for its events, sees each delivery
with the answer it got, sends one again, and switches a switched-off receiver back on."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue

from gateway import identity
from gateway.clients import ServiceError
from gateway.clients.tokens import WebhooksClient
from gateway.forms import ActionForm
from gateway.forms.sell_tokens import WebhookForm
from gateway.pages.helpers import show_service_error
from gateway.pages.layout import render_page
from gateway.pages.sell_common import require_shop

blueprint = Blueprint("webhooks", __name__)


def _client() -> WebhooksClient:
    return identity.client_of(WebhooksClient, "shops")


def _said(error: ServiceError) -> str:
    return error.message[:1].upper() + error.message[1:] + "."


@blueprint.get("/settings/webhooks")
def endpoints() -> ResponseReturnValue:
    return _page(WebhookForm())


@blueprint.post("/settings/webhooks")
def add_endpoint() -> ResponseReturnValue:
    shop = require_shop()
    form = WebhookForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        _client().add_endpoint(
            shop["id"], url=(form.url.data or "").strip(), events=list(form.events.data or [])
        )
    except ServiceError as error:
        show_service_error(form, error)
        return _page(form, status=error.status)
    flash("The receiver is registered: its deliveries are signed with the secret shown.", "success")
    return redirect(url_for(".endpoints"))


@blueprint.post("/settings/webhooks/<endpoint_id>/<action>")
def change_endpoint(endpoint_id: str, action: str) -> ResponseReturnValue:
    shop = require_shop()
    if action not in ("remove", "enable") or not ActionForm().validate_on_submit():
        abort(400, "The form expired; open the page again and retry.")
    try:
        if action == "remove":
            _client().remove_endpoint(shop["id"], endpoint_id)
        else:
            _client().enable_endpoint(shop["id"], endpoint_id)
    except ServiceError as error:
        flash(_said(error), "error")
    else:
        flash("Removed." if action == "remove" else "Switched on again.", "success")
    return redirect(url_for(".endpoints"))


@blueprint.get("/settings/webhooks/<endpoint_id>")
def deliveries(endpoint_id: str) -> ResponseReturnValue:
    shop = require_shop()
    client = _client()
    found = [e for e in client.endpoints(shop["id"]) if e["id"] == endpoint_id]
    if not found:
        abort(404, "There is no such receiver in this shop.")
    return render_page(
        "sell/webhook_deliveries.html",
        shop=shop,
        endpoint=found[0],
        deliveries=client.deliveries(shop["id"], endpoint_id),
    )


@blueprint.post("/settings/webhooks/<endpoint_id>/deliveries/<delivery_id>/resend")
def resend(endpoint_id: str, delivery_id: str) -> ResponseReturnValue:
    shop = require_shop()
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; open the page again and retry.")
    try:
        _client().resend(shop["id"], delivery_id)
    except ServiceError as error:
        flash(_said(error), "error")
    else:
        flash("It will be sent again in a moment.", "success")
    return redirect(url_for(".deliveries", endpoint_id=endpoint_id))


def _page(form: WebhookForm, *, status: int = 200) -> ResponseReturnValue:
    shop = require_shop()
    try:
        found, is_owner = _client().endpoints(shop["id"]), True
    except ServiceError as error:
        if error.status != 403:
            raise
        found, is_owner = [], False
    return render_page(
        "sell/webhooks.html", shop=shop, endpoints=found, is_owner=is_owner, form=form
    ), status
