"""Sign up, confirm an address, log in and out, and the forgotten password.

Sign-up and the forgotten password answer the same whether or not an address has an
account: what differs is only the mail its owner receives.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from gateway import account_services, accounts, identity
from gateway.accounts import AccountRuleBroken, AccountRulesBroken
from gateway.db import User
from gateway.extensions import limiter
from gateway.forms import LogInForm, SignUpForm
from gateway.forms.account import ActionForm, EmailOnlyForm, NewPasswordForm
from gateway.pages.account_forms import mail_links, put_errors
from gateway.pages.helpers import safe_next
from gateway.pages.layout import render_page
from services.common.clock import utcnow

blueprint = Blueprint("account", __name__)

# Each sends a mail: per client, and per address whatever the client, so nobody fills
# someone's mailbox from many machines either.
MAIL_LIMIT_PER_CLIENT = "20 per hour"
MAIL_LIMIT_PER_ADDRESS = "3 per hour"
CHECK_MAIL_KEY = "check_mail"
AFTER_VERIFY_KEY = "after_verify"


def _address_key() -> str:
    return "address:" + accounts.normalize_email(request.form.get("email", ""))[:320]


TOO_MANY = (
    "We have sent as many mails as we may for now. Please wait an hour, then try again; "
    "the mails already sent are on their way."
)


def _mail_limits(view):  # noqa: ANN001, ANN202 - a view function
    limited = limiter.limit(MAIL_LIMIT_PER_CLIENT, methods=["POST"], error_message=TOO_MANY)(view)
    return limiter.limit(
        MAIL_LIMIT_PER_ADDRESS, key_func=_address_key, methods=["POST"], error_message=TOO_MANY
    )(limited)


@blueprint.route("/signup", methods=["GET", "POST"])
@_mail_limits
def signup() -> ResponseReturnValue:
    form = SignUpForm()
    if form.is_submitted():
        valid = form.validate()
        email, name = form.email.data or "", form.display_name.data or ""
        password = form.password.data or ""
        if "csrf_token" not in form.errors:
            # Every field's problem at once, the rules' and the form's alike.
            put_errors(form, accounts.sign_up_problems(email, name, password))
        if valid and not form.errors:
            try:
                account_services.sign_up(identity.db(), email, name, password, links=mail_links())
            except AccountRulesBroken as broken:
                put_errors(form, broken.problems)
            else:
                session[CHECK_MAIL_KEY] = accounts.normalize_email(email)
                session[AFTER_VERIFY_KEY] = safe_next(request.args.get("next"))
                return redirect(url_for("account.check_mail"))
    return render_page("account/signup.html", form=form), 400 if form.errors else 200


@blueprint.route("/signup/check-mail", methods=["GET", "POST"])
@_mail_limits
def check_mail() -> ResponseReturnValue:
    """What comes after signing up, for a new address and a known one alike."""
    form = EmailOnlyForm(email=session.get(CHECK_MAIL_KEY, ""))
    if form.validate_on_submit():
        email = accounts.normalize_email(form.email.data or "")
        account_services.send_signup_link_again(identity.db(), email, links=mail_links())
        session[CHECK_MAIL_KEY] = email
        flash("We sent the mail again. It can take a few minutes to arrive.", "success")
        return redirect(url_for("account.check_mail"))
    return render_page("account/check_mail.html", form=form, email=form.email.data)


@blueprint.route("/account/verify/<token>", methods=["GET", "POST"])
def verify(token: str) -> ResponseReturnValue:
    """A link from a mail: GET shows a button, so a mail scanner that opens links does not
    use the token up; POST confirms the address."""
    form = ActionForm()
    if form.validate_on_submit():
        try:
            user = account_services.confirm_email(identity.db(), token)
        except account_services.TokenUnusable:
            return render_page("account/link_unusable.html", kind="verify"), 400
        except account_services.EmailTaken:
            flash("Another account uses that address already; your address is unchanged.", "error")
            return redirect(url_for("my_account.page"))
        flash(f"Thank you: {user.email} is confirmed.", "success")
        if not current_user.is_authenticated:
            # The link reached the mailbox this account was opened with: that is the proof
            # a log-in asks for, and where signing up ends.
            after = session.get(AFTER_VERIFY_KEY) or url_for("my_account.page")
            _start_session(user)
            return redirect(after)
        if current_user.id == user.id:
            login_user(identity.SignedInUser.of(user))
        return redirect(url_for("my_account.page"))
    return render_page("account/verify.html", form=form, token=token)


@blueprint.post("/account/verify/send")
@login_required
@limiter.limit(
    MAIL_LIMIT_PER_ADDRESS, key_func=lambda: "user:" + current_user.id, error_message=TOO_MANY
)
def send_verification() -> ResponseReturnValue:
    account_services.send_verification(identity.db(), current_user.id, links=mail_links())
    flash(f"We sent a new link to {current_user.email}. Follow it to confirm.", "success")
    return redirect(safe_next(request.form.get("next"), url_for("my_account.page")))


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
            seconds = max(1, int((throttled.retry_at - utcnow()).total_seconds()) + 1)
            page = render_page("errors/too_many_logins.html", retry_at=throttled.retry_at)
            return page, 429, {"Retry-After": str(seconds)}
        except account_services.InvalidCredentials:
            form.password.errors.append("That e-mail and password do not match an account.")
        else:
            _start_session(user)
            return redirect(safe_next(request.args.get("next")))
    return render_page("account/login.html", form=form), 400 if form.errors else 200


@blueprint.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    # CSRFProtect has checked the token already. Bumping the session version ends this
    # session and every other one the user has open, on any device.
    account_services.end_all_sessions(identity.db(), current_user.id)
    logout_user()
    session.clear()
    return redirect(url_for("shop.home"))


@blueprint.route("/password/forgot", methods=["GET", "POST"])
@_mail_limits
def forgot_password() -> ResponseReturnValue:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        account_services.request_password_reset(
            identity.db(), form.email.data or "", links=mail_links()
        )
        # The same page whether or not the address has an account.
        return render_page("account/reset_sent.html", email=form.email.data)
    return render_page("account/forgot.html", form=form), 400 if form.errors else 200


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(MAIL_LIMIT_PER_CLIENT, methods=["POST"], error_message=TOO_MANY)
def reset_password(token: str) -> ResponseReturnValue:
    if not account_services.reset_token_usable(identity.db(), token):
        return render_page("account/link_unusable.html", kind="reset"), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            account_services.reset_password(identity.db(), token, form.new_password.data or "")
        except account_services.TokenUnusable:
            return render_page("account/link_unusable.html", kind="reset"), 400
        except AccountRuleBroken as broken:
            put_errors(form, {"new_password": broken.message})
        else:
            logout_user()
            session.clear()
            flash("Your password is changed, and every session was logged out. Log in.", "success")
            return redirect(url_for("account.login"))
    page = render_page("account/reset.html", form=form, token=token)
    return page, 400 if form.errors else 200


def _start_session(user: User) -> None:
    # A fresh cookie: nothing from before logging in (or from another account) carries over.
    session.clear()
    login_user(identity.SignedInUser.of(user))
