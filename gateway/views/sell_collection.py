"""Orders the buyer collects in person: the shop says when one is ready, then collected."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask.typing import ResponseReturnValue

from gateway import identity
from gateway.clients import ServiceError
from gateway.forms import ActionForm

blueprint = Blueprint("collection", __name__)


@blueprint.post("/orders/<shop_order_id>/ready-to-collect")
def ready(shop_order_id: str) -> ResponseReturnValue:
    return _act(shop_order_id, "ready-to-collect", "The buyer is told the order is ready.")


@blueprint.post("/orders/<shop_order_id>/collected")
def collected(shop_order_id: str) -> ResponseReturnValue:
    return _act(shop_order_id, "collected", "Collected. Thank you for handing it over.")


def _act(shop_order_id: str, action: str, done: str) -> ResponseReturnValue:
    if ActionForm().validate_on_submit():
        client = identity.shops_client()
        for shop in identity.my_shops():
            try:
                client.collection_step(shop["id"], shop_order_id, action)
            except ServiceError as error:
                if error.status == 404:
                    continue
                flash(error.message, "error")
            else:
                flash(done, "success")
            break
        else:
            flash("There is no such order in your shop.", "error")
    return redirect(url_for("sell.order", shop_order_id=shop_order_id))
