"""The shop's shipping profile in the seller portal: regions, their services and prices,
free shipping per region, countries not shipped to, and collection in person."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from gateway import identity
from gateway.clients import ServiceError
from gateway.countries import country_choices
from gateway.forms import ActionForm
from gateway.forms.sell_shipping import WHERE_CHOICES, ShippingEditor, preview
from gateway.pages.helpers import sentence
from gateway.pages.layout import render_page
from gateway.pages.sell_common import require_shop

blueprint = Blueprint("shipping", __name__)


@blueprint.get("/shipping")
def shipping() -> ResponseReturnValue:
    shop = require_shop()
    stored = identity.shops_client().shop(shop["id"])
    editor = ShippingEditor.from_profile(_profile_of(stored))
    return _page(stored, editor)


@blueprint.post("/shipping")
def save_shipping() -> ResponseReturnValue:
    shop = require_shop()
    client = identity.shops_client()
    stored = client.shop(shop["id"])
    editor = ShippingEditor.from_form(request.form)
    if not ActionForm().validate_on_submit():
        flash("The form expired; your changes are below: save them again.", "error")
        return _page(stored, editor, status=400)
    action = request.form.get("action", "save")
    if action != "save":
        # Adding or removing a row saves nothing: the owner saves the whole page at the end.
        if not editor.apply(action, new_where=request.form.get("new_region", "")):
            return _page(stored, editor, status=400)
        return _page(stored, editor)
    profile = editor.profile(stored["currency"])
    if profile is None:
        flash("Nothing is saved yet: correct the fields marked below.", "error")
        return _page(stored, editor, status=400)
    try:
        client.change_shop(shop["id"], shipping_profile=profile)
    except ServiceError as error:
        # The shops service checks the profile again: its reasons go next to their rows,
        # the rest (say, staff who may not change the shop) on top.
        if not editor.place_service_errors(error.fields):
            flash(sentence(error.message), "error")
        return _page(stored, editor, status=error.status)
    flash("Your shipping is saved.", "success")
    return redirect(url_for(".shipping"))


def _profile_of(shop: dict) -> dict | None:
    return (shop.get("shipping") or {}).get("profile")


def _page(stored: dict, editor: ShippingEditor, *, status: int = 200) -> ResponseReturnValue:
    return render_page(
        "sell/shipping.html",
        shop=require_shop(),
        stored=stored,
        editor=editor,
        preview=preview(_profile_of(stored)),
        where_choices=WHERE_CHOICES,
        countries=country_choices(),
        form=ActionForm(),
    ), status
