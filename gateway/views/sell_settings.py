"""The shop's settings (profile, shipping rates, order handling, vacation), the people who
work in it, and its exports."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from gateway import account_services, accounts, identity, invitations
from gateway.clients import ServiceError
from gateway.clients.members import MembersClient
from gateway.clients.shops import EXPORTS
from gateway.db import User
from gateway.forms import ActionForm
from gateway.forms.sell_settings import SETTINGS_FIELD_NAMES, AddStaffForm, SettingsForm
from gateway.pages.helpers import show_service_error
from gateway.pages.layout import render_page
from gateway.pages.sell_common import choose_shop, csv_download, download_name, require_shop
from services.common.clock import utcnow

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
            client.change_shop(shop["id"], **form.settings(profile))
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
    return render_page("sell/settings.html", shop=shop, profile=profile, form=form), status


@blueprint.get("/exports")
def exports() -> ResponseReturnValue:
    return render_page("sell/exports.html", shop=require_shop(), exports=EXPORTS)


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
    """The owner invites someone by address. The answer is the same whether an account uses
    the address or not, and nobody joins before accepting the invitation."""
    shop = require_shop()
    form = AddStaffForm()
    if not form.validate_on_submit():
        return _members_page(form, status=400)
    found = _members_client().members(shop["id"])
    if not _is_owner(found):
        form.email.errors = ["Only the shop's owner can invite people."]
        return _members_page(form, status=403)
    email = accounts.normalize_email(form.email.data or "")
    members_emails = identity.db().scalars(
        select(User.email).where(User.id.in_([member["user_id"] for member in found]))
    )
    if email in set(members_emails):
        # The owner sees every member's address on this page: this tells nothing new.
        form.email.errors = ["This person is already a member of the shop."]
        return _members_page(form, status=409)
    invitations.invite(
        identity.db(),
        shop_id=shop["id"],
        shop_name=shop["name"],
        email=email,
        invited_by=current_user.id,
        now=utcnow(),
    )
    account_services.notify_invitation(
        identity.db(),
        email=email,
        shop_name=shop["name"],
        links=account_services.Links(identity.settings().public_url or request.host_url),
    )
    identity.db().commit()
    flash(
        f"We invited {email} to work in {shop['name']}. "
        "They join the shop once they accept the invitation.",
        "success",
    )
    return redirect(url_for(".members"))


@blueprint.post("/settings/invitations/<invitation_id>/cancel")
def cancel_invitation(invitation_id: str) -> ResponseReturnValue:
    shop = require_shop()
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; open the page again and retry.")
    if not _is_owner(_members_client().members(shop["id"])):
        abort(403, "Only the shop's owner can cancel invitations.")
    try:
        invitations.cancel(identity.db(), invitation_id, shop_id=shop["id"], now=utcnow())
    except invitations.InvitationGone as gone:
        flash(str(gone), "error")
    else:
        identity.db().commit()
        flash("The invitation is cancelled.", "success")
    return redirect(url_for(".members"))


@blueprint.post("/invitations/<invitation_id>/<answer>")
def answer_invitation(invitation_id: str, answer: str) -> ResponseReturnValue:
    """The invitee, signed in with the address the invitation went to, says yes or no."""
    if answer not in ("accept", "decline") or not ActionForm().validate_on_submit():
        abort(400, "The form expired; open the page again and retry.")
    session = identity.db()
    try:
        invitation = invitations.find_open(
            session, invitation_id, email=current_user.email, now=utcnow()
        )
    except invitations.InvitationGone as gone:
        flash(str(gone), "error")
        return redirect(url_for("messages.notifications"))
    if answer == "decline":
        invitations.answer(invitation, accepted=False, now=utcnow())
        session.commit()
        flash(f"You declined to work in {invitation.shop_name}.", "success")
        return redirect(url_for("messages.notifications"))
    try:
        identity.service_client_of(MembersClient, "shops").add_invited(
            invitation.shop_id,
            user_id=current_user.id,
            role=invitation.role,
            invited_by=invitation.invited_by,
        )
    except ServiceError as error:
        if error.status != 409:  # 409: already a member, which is what was asked
            # The shop is gone, or whoever invited is no longer its owner.
            invitations.answer(invitation, accepted=False, now=utcnow())
            invitation.status = "cancelled"
            session.commit()
            flash("This invitation is no longer valid: ask the shop's owner again.", "error")
            return redirect(url_for("messages.notifications"))
    invitations.answer(invitation, accepted=True, now=utcnow())
    session.commit()
    choose_shop(invitation.shop_id)
    flash(f"Welcome: you now work in {invitation.shop_name}.", "success")
    return redirect(url_for("sell.dashboard"))


def _is_owner(members: list[dict]) -> bool:
    return any(m["user_id"] == current_user.id and m["role"] == "owner" for m in members)


def _members_page(form: AddStaffForm, *, status: int = 200) -> ResponseReturnValue:
    shop = require_shop()
    found = _members_client().members(shop["id"])
    ids = [member["user_id"] for member in found]
    people = {user.id: user for user in identity.db().scalars(select(User).where(User.id.in_(ids)))}
    is_owner = _is_owner(found)
    return render_page(
        "sell/members.html",
        shop=shop,
        members=[member | {"person": people.get(member["user_id"])} for member in found],
        invitations=(
            invitations.open_for_shop(identity.db(), shop_id=shop["id"], now=utcnow())
            if is_owner
            else []
        ),
        is_owner=is_owner,
        me=current_user.id,
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
