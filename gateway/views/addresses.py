"""The shopper's address book at /account/addresses: list, add, change, delete, choose the
default one that checkout starts from. The addresses live in the orders service, which
checks each for its country; its messages are shown beside the fields."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from gateway.clients import ServiceError
from gateway.forms.address import SERVICE_FIELDS, SavedAddressForm
from gateway.identity import orders_client
from gateway.pages.addresses import form_rules
from gateway.pages.helpers import show_service_error
from gateway.pages.layout import render_page
from services.common.postal import address_lines

blueprint = Blueprint("addresses", __name__, url_prefix="/account/addresses")


@blueprint.app_template_filter("address_lines")
def address_lines_filter(address: dict | None) -> list[str]:
    """An address (contracts.PostalAddress's fields) laid out as its country writes it."""
    return address_lines(address) if address else []


@blueprint.get("")
@login_required
def index() -> ResponseReturnValue:
    return render_page("account/addresses.html", addresses=orders_client().addresses())


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def add() -> ResponseReturnValue:
    form = SavedAddressForm()
    if form.validate_on_submit():
        try:
            orders_client().save_address(form.postal_fields(), default=bool(form.make_default.data))
        except ServiceError as error:
            show_service_error(form, error, field_names=SERVICE_FIELDS)
        else:
            flash("Address saved.", "success")
            return redirect(url_for("addresses.index"))
    return _form_page(form, title="Add an address", address_id=None)


@blueprint.route("/<address_id>/edit", methods=["GET", "POST"])
@login_required
def edit(address_id: str) -> ResponseReturnValue:
    client = orders_client()
    saved = _saved(address_id)
    form = SavedAddressForm()
    if form.validate_on_submit():
        try:
            client.change_address(
                address_id, form.postal_fields(), default=bool(form.make_default.data)
            )
        except ServiceError as error:
            if error.status == 404:
                abort(404, "There is no such address in your address book.")
            show_service_error(form, error, field_names=SERVICE_FIELDS)
        else:
            flash("Address changed.", "success")
            return redirect(url_for("addresses.index"))
    elif not form.is_submitted():
        form.fill_from(saved["address"])
        form.make_default.data = saved["is_default"]
    return _form_page(form, title="Change an address", address_id=address_id)


@blueprint.post("/<address_id>/delete")
@login_required
def delete(address_id: str) -> ResponseReturnValue:
    # CSRFProtect has checked the form's token before we get here.
    try:
        orders_client().delete_address(address_id)
    except ServiceError as error:
        if error.status != 404:  # already gone is what the person wanted
            raise
    flash("Address deleted.", "success")
    return redirect(url_for("addresses.index"))


@blueprint.post("/<address_id>/default")
@login_required
def make_default(address_id: str) -> ResponseReturnValue:
    try:
        orders_client().make_default_address(address_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such address in your address book.")
        raise
    flash("Checkout now starts from this address.", "success")
    return redirect(url_for("addresses.index"))


def _saved(address_id: str) -> dict:
    try:
        return orders_client().address(address_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such address in your address book.")
        raise


def _form_page(form: SavedAddressForm, *, title: str, address_id: str | None):
    status = 400 if form.is_submitted() and form.errors else 200
    return render_page(
        "account/address_form.html",
        form=form,
        title=title,
        address_id=address_id,
        country_form=form_rules(form),
    ), status
