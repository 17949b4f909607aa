"""The shop's inventory: find, list, edit, delete, and change many listings at once."""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from wtforms.validators import ValidationError

from gateway import identity
from gateway.clients import ServiceError
from gateway.forms import CONDITIONS, ActionForm
from gateway.forms.sell_listings import LISTING_FIELD_NAMES, BulkChangeForm, ListingForm
from gateway.pages.helpers import show_service_error
from gateway.pages.layout import render_page
from gateway.pages.own_listing import own_listing
from gateway.pages.sell_common import require_shop

blueprint = Blueprint("listings", __name__)
PER_PAGE = 25
SORTS = [
    ("-updated", "Recently changed"),
    ("title", "Title A–Z"),
    ("price", "Price, low to high"),
    ("-price", "Price, high to low"),
    ("quantity", "Quantity, low to high"),
]
STOCK = [("", "In stock or not"), ("true", "In stock"), ("false", "Sold out")]


def inventory_query() -> dict[str, Any]:
    """The table's search, filters, sort and page from the address, cleaned."""
    args = request.args
    sort = args.get("sort", "-updated")
    condition = args.get("condition", "")
    in_stock = args.get("in_stock", "")
    try:
        page = max(1, min(int(args.get("page", "1")), 100_000))
    except ValueError:
        page = 1
    return {
        "q": args.get("q", "").strip()[:200],
        "in_stock": in_stock if in_stock in ("true", "false") else "",
        "condition": condition if condition in dict(CONDITIONS) else "",
        "sort": sort if sort in dict(SORTS) else "-updated",
        "page": page,
    }


@blueprint.get("/listings")
def inventory() -> ResponseReturnValue:
    return _inventory_page(BulkChangeForm())


def _inventory_page(bulk_form: BulkChangeForm, *, status: int = 200) -> ResponseReturnValue:
    shop = require_shop()
    query = inventory_query()
    found = identity.shops_client().find_listings(shop["id"], per_page=PER_PAGE, **query)
    pages = max(1, math.ceil(found["total"] / PER_PAGE))
    return (
        render_page(
            "sell/inventory.html",
            shop=shop,
            query=query,
            listings=found["listings"],
            total=found["total"],
            pages=pages,
            sorts=SORTS,
            stock_choices=STOCK,
            conditions=CONDITIONS,
            bulk_form=bulk_form,
            selected=set(request.form.getlist("listing_ids")),
        ),
        status,
    )


@blueprint.route("/listings/new", methods=["GET", "POST"])
def new_listing() -> ResponseReturnValue:
    shop = require_shop()
    form = ListingForm()
    if form.validate_on_submit():
        try:
            identity.shops_client().create_listing(
                shop["id"], **form.listing_fields(currency=shop.get("currency") or "EUR")
            )
        except ServiceError as error:
            show_service_error(form, error, field_names=LISTING_FIELD_NAMES)
        else:
            flash(f"Listed “{form.title.data}”.", "success")
            return redirect(url_for(".inventory"))
    status = 400 if request.method == "POST" else 200
    return render_page("sell/listing_form.html", form=form, shop=shop, listing=None), status


@blueprint.route("/listings/<listing_id>/edit", methods=["GET", "POST"])
def edit_listing(listing_id: str) -> ResponseReturnValue:
    shop = require_shop()
    listing = own_listing(shop, listing_id)
    form = ListingForm()
    if request.method == "GET":
        form.fill_from(listing)
    elif form.validate_on_submit():
        currency = listing["price"]["currency"]
        try:
            identity.shops_client().change_listing(
                shop["id"], listing_id, **form.listing_fields(currency=currency)
            )
        except ServiceError as error:
            show_service_error(form, error, field_names=LISTING_FIELD_NAMES)
        else:
            flash(f"Saved “{form.title.data}”.", "success")
            return redirect(url_for(".inventory"))
    status = 400 if request.method == "POST" else 200
    return (
        render_page("sell/listing_form.html", form=form, shop=shop, listing=listing),
        status,
    )


@blueprint.route("/listings/<listing_id>/delete", methods=["GET", "POST"])
def delete_listing(listing_id: str) -> ResponseReturnValue:
    """GET asks to confirm; POST (with its CSRF token) removes the listing."""
    shop = require_shop()
    listing = own_listing(shop, listing_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            identity.shops_client().delete_listing(shop["id"], listing_id)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(f"Removed “{listing['title']}” from your shop.", "success")
        return redirect(url_for(".inventory"))
    return render_page("sell/delete_listing.html", shop=shop, listing=listing, form=form)


@blueprint.post("/listings/bulk")
def bulk_change() -> ResponseReturnValue:
    shop = require_shop()
    form = BulkChangeForm()
    listing_ids = request.form.getlist("listing_ids")
    if not form.validate_on_submit():
        expired = bool(form.csrf_token.errors)
        flash(
            "The form expired; please try again." if expired else "Check the bulk change.", "error"
        )
        return _inventory_page(form, status=400)
    if not listing_ids:
        flash("Tick the listings to change first.", "error")
        return _inventory_page(form, status=400)
    try:
        change = form.change()
    except ValidationError as error:
        flash(str(error), "error")
        return _inventory_page(form, status=400)
    try:
        changed = identity.shops_client().bulk_change(shop["id"], listing_ids, **change)
    except ServiceError as error:
        # The service names each listing that could not take the change; nothing changed.
        reasons = list(error.fields.values())
        flash(
            error.message if not reasons else "Nothing changed: " + "; ".join(reasons[:5]), "error"
        )
        return _inventory_page(form, status=400 if error.status < 500 else error.status)
    flash(f"Changed {len(changed)} listing{'s' if len(changed) != 1 else ''}.", "success")
    return redirect(url_for(".inventory", **request.args))
