"""The account page: name, e-mail address, password, the person's data, and deleting it all.

The address book (/account/addresses) and the mail preferences (/account/mail) are pages of
their own, linked from here.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from gateway import account_export, account_services, identity
from gateway.accounts import AccountRuleBroken
from gateway.clients import OrdersClient, ShopsClient
from gateway.clients.reviews import ReviewsClient
from gateway.clients.wants import WantsClient
from gateway.forms.account import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    DisplayNameForm,
)
from gateway.pages.account_forms import mail_links, put_errors
from gateway.pages.layout import render_page
from services.common.clock import utcnow

blueprint = Blueprint("my_account", __name__, url_prefix="/account")


@blueprint.before_request
@login_required
def require_login() -> None:
    """Every page here is about the signed-in person."""


def _page(status: int = 200, **forms) -> ResponseReturnValue:  # noqa: ANN003 - the forms
    forms.setdefault("name_form", DisplayNameForm(display_name=current_user.display_name))
    forms.setdefault("email_form", ChangeEmailForm())
    forms.setdefault("password_form", ChangePasswordForm())
    return render_page("account/account.html", **forms), status


@blueprint.get("")
def page() -> ResponseReturnValue:
    return _page()


@blueprint.post("/name")
def change_name() -> ResponseReturnValue:
    form = DisplayNameForm()
    if form.validate_on_submit():
        try:
            user = account_services.change_display_name(
                identity.db(), current_user.id, form.display_name.data or ""
            )
        except AccountRuleBroken as broken:
            put_errors(form, {"display_name": broken.message})
        else:
            login_user(identity.SignedInUser.of(user))
            flash("Your name is changed.", "success")
            return redirect(url_for("my_account.page"))
    return _page(400, name_form=form)


@blueprint.post("/email")
def change_email() -> ResponseReturnValue:
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            new_email = account_services.request_email_change(
                identity.db(),
                current_user.id,
                form.new_email.data or "",
                form.password.data or "",
                links=mail_links(),
            )
        except AccountRuleBroken as broken:
            put_errors(form, {broken.field: broken.message})
        else:
            flash(
                f"We sent a link to {new_email}. Your address changes when you follow it; "
                f"until then it stays {current_user.email}.",
                "success",
            )
            return redirect(url_for("my_account.page"))
    return _page(400, email_form=form)


@blueprint.post("/password")
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = account_services.change_password(
                identity.db(),
                current_user.id,
                form.current_password.data or "",
                form.new_password.data or "",
            )
        except AccountRuleBroken as broken:
            put_errors(form, {broken.field: broken.message})
        else:
            # The new session version ended every session; this one carries on with it.
            login_user(identity.SignedInUser.of(user))
            flash("Your password is changed. Every other session was logged out.", "success")
            return redirect(url_for("my_account.page"))
    return _page(400, password_form=form)


@blueprint.get("/data.json")
def download_data() -> ResponseReturnValue:
    """Everything the platform holds about the person, from the gateway and each service."""
    settings = identity.settings()
    own = account_export.gateway_part(identity.db(), current_user.id)
    # Done with the database before asking the services: on SQLite an open transaction
    # would hold the write lock while they answer.
    identity.db().rollback()
    document = {
        "exported_at": utcnow().isoformat(),
        "gateway": own,
        **account_export.services_part(
            orders=identity.client_of(OrdersClient, "orders"),
            reviews=identity.client_of(ReviewsClient, "orders"),
            conversations=account_export.data_client(
                "orders",
                settings.orders_url,
                token=identity.client_of(OrdersClient, "orders").token,
                timeout=settings.service_timeout,
            ),
            customer_book=account_export.data_client(
                "shops",
                settings.shops_url,
                token=identity.client_of(ShopsClient, "shops").token,
                timeout=settings.service_timeout,
            ),
            wants=identity.client_of(WantsClient, "catalog"),
            shops=identity.client_of(ShopsClient, "shops"),
        ),
    }
    body = json.dumps(document, indent=2, ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-storefront-data.json"'},
    )


@blueprint.route("/delete", methods=["GET", "POST"])
def delete() -> ResponseReturnValue:
    form = DeleteAccountForm()
    shops = identity.my_shops(refresh=True)
    if shops:
        # A shop keeps running on its members' accounts: it must not lose the last of them
        # by surprise. The owner closes the shop or hands it over first.
        page = render_page("account/delete.html", form=None, shops=shops)
        return page, 409 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            account_services.delete_account(identity.db(), current_user.id, form.password.data)
        except AccountRuleBroken as broken:
            put_errors(form, {"password": broken.message})
        else:
            logout_user()
            session.clear()
            flash("Your account is deleted. Thank you for shopping with us.", "success")
            return redirect(url_for("shop.home"))
    page = render_page("account/delete.html", form=form, shops=[])
    return page, 400 if form.errors else 200
