"""Sign up, log in and log out."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from gateway import account_services, identity
from gateway.accounts import AccountRuleBroken
from gateway.db import User
from gateway.forms import LogInForm, SignUpForm
from gateway.views.helpers import safe_next

blueprint = Blueprint("account", __name__)


@blueprint.route("/signup", methods=["GET", "POST"])
def signup() -> ResponseReturnValue:
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            user = account_services.create_user(
                identity.db(),
                form.email.data or "",
                form.display_name.data or "",
                form.password.data or "",
            )
        except AccountRuleBroken as broken:
            getattr(form, broken.field).errors.append(broken.message)
        else:
            _start_session(user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("account/signup.html", form=form), 400 if form.errors else 200


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LogInForm()
    if form.validate_on_submit():
        try:
            user = account_services.authenticate(
                identity.db(),
                form.email.data or "",
                form.password.data or "",
                ip=request.remote_addr or "unknown",
            )
        except account_services.LoginThrottled as throttled:
            seconds = max(1, int((throttled.retry_at - datetime.now(UTC)).total_seconds()) + 1)
            page = render_template("errors/too_many_logins.html", retry_at=throttled.retry_at)
            return page, 429, {"Retry-After": str(seconds)}
        except account_services.InvalidCredentials:
            form.password.errors.append("That e-mail and password do not match an account.")
        else:
            _start_session(user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("account/login.html", form=form), 400 if form.errors else 200


@blueprint.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    # CSRFProtect has checked the token already. Bumping the session version ends this
    # session and every other one the user has open, on any device.
    account_services.end_all_sessions(identity.db(), current_user.id)
    logout_user()
    session.clear()
    return redirect(url_for("shop.home"))


def _start_session(user: User) -> None:
    # A fresh cookie: nothing from before logging in (or from another account) carries over.
    session.clear()
    login_user(identity.SignedInUser.of(user))
