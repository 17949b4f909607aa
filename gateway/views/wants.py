"""Want lists: what a shopper is looking for, and the listings that matched."""

from __future__ import annotations

import logging
import re

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from gateway.clients import ServiceError
from gateway.clients.wants import WantsClient
from gateway.countries import country_name
from gateway.forms.choices import CONDITIONS
from gateway.forms.wants import BINDINGS, WantForm
from gateway.identity import client_of
from gateway.pages.covers import covers_ask
from gateway.pages.gather import Ask
from gateway.pages.helpers import show_service_error
from gateway.pages.layout import render_page

log = logging.getLogger(__name__)

blueprint = Blueprint("wants", __name__)

# The catalog's field names where the form's differ.
FIELD_NAMES = {"body": "words", "max_price.amount": "max_price", "max_price.currency": "currency"}
# A search that is only an ISBN becomes an ISBN want: digits, dashes and spaces, maybe an X.
_ISBN_LIKE = re.compile(r"^[0-9Xx][0-9Xx\s-]{8,20}$")


def wants_client() -> WantsClient:
    return client_of(WantsClient, "catalog")


@blueprint.get("/wants")
@login_required
def wants() -> ResponseReturnValue:
    return _wants_page(WantForm(**_prefill()))


@blueprint.post("/wants")
@login_required
def add_want() -> ResponseReturnValue:
    form = WantForm()
    if not form.validate_on_submit():
        return _wants_page(form, status=422)
    try:
        wants_client().add(form.want())
    except ServiceError as error:
        if error.status != 422:
            raise
        show_service_error(form, error, field_names=FIELD_NAMES)
        return _wants_page(form, status=422)
    flash("Saved. We will tell you here when a shop lists a copy.", "info")
    return redirect(url_for("wants.wants"))


@blueprint.post("/wants/<want_id>/delete")
@login_required
def delete_want(want_id: str) -> ResponseReturnValue:
    try:
        wants_client().delete(want_id)
    except ServiceError as error:
        if error.status != 404:
            raise
        flash("That want was already gone.", "info")
        return redirect(url_for("wants.wants"))
    flash("Want deleted.", "info")
    return redirect(url_for("wants.wants"))


@blueprint.get("/wants/matches")
@login_required
def matches() -> ResponseReturnValue:
    client = wants_client()
    found = client.matches(limit=100)
    if found.get("unread"):
        # Shown once as new, then read: the badge counts what the shopper has not seen.
        client.read_all()
    listed = found.get("matches", [])
    return render_page(
        "wants/matches.html",
        asks={"covers": covers_ask(match.get("listing_id") for match in listed)},
        matches=listed,
    )


def _wants_page(form: WantForm, *, status: int = 200) -> ResponseReturnValue:
    # The form shows even when the saved wants cannot be read: the page says they are missing.
    return (
        render_page(
            "wants/wants.html",
            asks={"wants": Ask(wants_client().wants, "your saved wants")},
            form=form,
            bindings=dict(BINDINGS),
            country_name=country_name,
        ),
        status,
    )


def _prefill() -> dict[str, str]:
    """The form's starting values from the address: a search's words and filters."""
    args = request.args
    values: dict[str, str] = {}
    typed = (args.get("words") or args.get("q") or "").strip()[:200]
    isbn = (args.get("isbn") or "").strip()[:30]
    if not isbn and _ISBN_LIKE.match(typed) and sum(ch.isdigit() for ch in typed) >= 9:
        isbn, typed = typed, ""
    if typed:
        values["words"] = typed
    if isbn:
        values["isbn"] = isbn
    choices = {"condition_at_least": dict(CONDITIONS), "binding": dict(BINDINGS)}
    for name, allowed in choices.items():
        if args.get(name) in allowed:
            values[name] = args[name]
    return values
