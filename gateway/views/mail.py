"""Mail preferences at /account/mail, and the unsubscribe link every mail carries.

The unsubscribe route answers a person's browser (GET shows what stops and a button, the
button POSTs) and a mail client's one-click POST (RFC 8058), which comes with no session
and no CSRF token: the signed token in the URL is its whole authority, checked by the
notifications service, and it can only turn one kind of mail off.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from gateway.clients import ServiceError
from gateway.clients.notifications import NotificationsClient
from gateway.extensions import csrf
from gateway.forms import ActionForm
from gateway.identity import settings
from gateway.pages.layout import render_page
from services.common.auth import Principal, issue_token

blueprint = Blueprint("mail", __name__)


def notifications_client(*, as_person: bool = True) -> NotificationsClient:
    """A client acting for the signed-in person; or for nobody, for the unsubscribe link."""
    config = settings()
    token = None
    if as_person and current_user.is_authenticated:
        # Preferences are the person's own: the token names no shop.
        principal = Principal(current_user.id, current_user.display_name, frozenset())
        token = issue_token(principal, secret=config.service_token_secret)
    return NotificationsClient(
        config.notifications_url, token=token, timeout=config.service_timeout
    )


@blueprint.get("/account/mail")
@login_required
def preferences() -> ResponseReturnValue:
    return _preferences_page(notifications_client().preferences())


@blueprint.post("/account/mail")
@login_required
def save_preferences() -> ResponseReturnValue:
    form = ActionForm()
    if not form.validate_on_submit():
        flash("The form had expired; please choose again.", "error")
        return redirect(url_for("mail.preferences"))
    client = notifications_client()
    offered = [kind["kind"] for kind in client.preferences()["kinds"]]
    chosen = set(request.form.getlist("kinds"))
    client.set_preferences({kind: kind in chosen for kind in offered})
    flash("Your mail preferences are saved.", "info")
    return redirect(url_for("mail.preferences"))


@blueprint.get("/unsubscribe/<token>")
def confirm_unsubscribe(token: str) -> ResponseReturnValue:
    try:
        described = notifications_client(as_person=False).describe_unsubscribe(token)
    except ServiceError as error:
        return render_page("mail/unsubscribe.html", error=error.message), error.status
    return render_page("mail/unsubscribe.html", token=token, described=described)


@blueprint.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token: str) -> ResponseReturnValue:
    try:
        done = notifications_client(as_person=False).unsubscribe(token)
    except ServiceError as error:
        return render_page("mail/unsubscribe.html", error=error.message), error.status
    return render_page("mail/unsubscribe.html", token=token, described=done, done=True)


def _preferences_page(preferences: dict) -> ResponseReturnValue:
    groups = {
        "buyer": [k for k in preferences["kinds"] if k["audience"] == "buyer"],
        "shop": [k for k in preferences["kinds"] if k["audience"] == "shop"],
    }
    return render_page("mail/preferences.html", preferences=preferences, groups=groups)
