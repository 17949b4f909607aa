"""The shop's settings (profile, shipping rates, order handling, vacation), the people who
work in it, and its exports."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from gateway import accounts, identity
from gateway.clients import ServiceError
from gateway.clients.members import MembersClient
from gateway.clients.shops import EXPORTS
from gateway.db import User
from gateway.forms import ActionForm
from gateway.forms.sell import SETTINGS_FIELD_NAMES, AddStaffForm, SettingsForm
from gateway.views.helpers import show_service_error
from gateway.views.sell_common import csv_download, download_name, require_shop

blueprint = Blueprint("settings", __name__)


@blueprint.route("/settings", methods=["GET", "POST"])
def settings() -> ResponseReturnValue:
    shop = require_shop()
    client = identity.shops_client()
    profile = client.shop(shop["id"])
    form = SettingsForm()
    if request.method == "GET":
        form.fill_from(profile)
    elif form.validate_on_submit():
        try:
            client.change_shop(shop["id"], **form.settings())
        except ServiceError as error:
            # Field problems go next to their fields; the rest (say, staff who are not the
            # owner) on top of the form.
            show_service_error(form, error, field_names=SETTINGS_FIELD_NAMES)
        else:
            # The name, signature and currency are cached for every page: read them again.
            identity.my_shops(refresh=True)
            flash("Your shop's settings are saved.", "success")
            return redirect(url_for(".settings"))
    status = 400 if request.method == "POST" else 200
    return render_template("sell/settings.html", shop=shop, profile=profile, form=form), status


@blueprint.get("/exports")
def exports() -> ResponseReturnValue:
    return render_template("sell/exports.html", shop=require_shop(), exports=EXPORTS)


@blueprint.get("/exports/<name>.csv")
def export(name: str) -> ResponseReturnValue:
    if name not in EXPORTS:
        abort(404, "There is no such export.")
    shop = require_shop()
    upstream = identity.shops_client().export(shop["id"], name)
    return csv_download(upstream, filename=download_name(shop, name))


def _members_client() -> MembersClient:
    return identity.client_of(MembersClient, "shops")


@blueprint.get("/settings/members")
def members() -> ResponseReturnValue:
    return _members_page(AddStaffForm())


@blueprint.post("/settings/members")
def add_member() -> ResponseReturnValue:
    shop = require_shop()
    form = AddStaffForm()
    if not form.validate_on_submit():
        return _members_page(form, status=400)
    email = accounts.normalize_email(form.email.data or "")
    person = identity.db().scalar(select(User).where(User.email == email))
    if person is None:
        form.email.errors = ["No account uses this address: ask them to sign up first."]
        return _members_page(form, status=400)
    try:
        _members_client().add_member(shop["id"], person.id)
    except ServiceError as error:
        # Staff asking (403), someone already in the shop (409).
        form.email.errors = [error.message[:1].upper() + error.message[1:] + "."]
        return _members_page(form, status=error.status)
    flash(f"{person.display_name} now works in {shop['name']}.", "success")
    return redirect(url_for(".members"))


def _members_page(form: AddStaffForm, *, status: int = 200) -> ResponseReturnValue:
    shop = require_shop()
    found = _members_client().members(shop["id"])
    ids = [member["user_id"] for member in found]
    people = {user.id: user for user in identity.db().scalars(select(User).where(User.id.in_(ids)))}
    me = current_user.id
    return render_template(
        "sell/members.html",
        shop=shop,
        members=[member | {"person": people.get(member["user_id"])} for member in found],
        is_owner=any(m["user_id"] == me and m["role"] == "owner" for m in found),
        me=me,
        form=form,
    ), status


@blueprint.post("/settings/members/<user_id>/remove")
def remove_member(user_id: str) -> ResponseReturnValue:
    shop = require_shop()
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; open the page again and retry.")
    try:
        _members_client().remove_member(shop["id"], user_id)
    except ServiceError as error:
        # Staff asking (403), someone already gone (404), the last owner (409).
        flash(error.message[:1].upper() + error.message[1:] + ".", "error")
    else:
        flash("Done: they no longer work in this shop.", "success")
    return redirect(url_for(".members"))
