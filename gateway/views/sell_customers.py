"""The seller portal's customer book: the shop's buyers, their history, private notes."""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from gateway import identity
from gateway.clients import ServiceError
from gateway.clients.customers import CustomersClient
from gateway.forms.customers import CustomerNotesForm
from gateway.pages.helpers import show_service_error
from gateway.pages.layout import render_page
from gateway.pages.sell_common import require_shop

blueprint = Blueprint("customers", __name__)
PER_PAGE = 25
SORTS = [
    ("-last_order", "Latest order first"),
    ("-total_spent", "Spent the most"),
    ("name", "Name A–Z"),
]


def customers_client() -> CustomersClient:
    return identity.client_of(CustomersClient, "shops")


@blueprint.app_template_filter("ordinal")
def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _shop() -> dict:
    """The shop whose book is shown: `?shop=` when an order of another of the person's
    shops links here, else the shop the portal is working on."""
    wanted = request.args.get("shop", "")
    if not wanted:
        return require_shop()
    shop = next((mine for mine in identity.my_shops() if mine["id"] == wanted), None)
    if shop is None:
        abort(404, "There is no such shop among yours.")
    return shop


def customers_query() -> dict[str, Any]:
    args = request.args
    sort = args.get("sort", SORTS[0][0])
    try:
        page = max(1, min(int(args.get("page", "1")), 100_000))
    except ValueError:
        page = 1
    return {
        "q": args.get("q", "").strip()[:200],
        "sort": sort if sort in dict(SORTS) else SORTS[0][0],
        "page": page,
    }


@blueprint.get("/customers")
def customers() -> ResponseReturnValue:
    shop = require_shop()
    query = customers_query()
    found = customers_client().customers(shop["id"], per_page=PER_PAGE, **query)
    return render_page(
        "customers/customers.html",
        shop=shop,
        query=query,
        customers=found["customers"],
        total=found["total"],
        pages=max(1, math.ceil(found["total"] / PER_PAGE)),
        sorts=SORTS,
    )


@blueprint.route("/customers/<user_id>", methods=["GET", "POST"])
def customer(user_id: str) -> ResponseReturnValue:
    shop = _shop()
    client = customers_client()
    try:
        found = client.customer(shop["id"], user_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such customer in your shop.")
        raise
    form = CustomerNotesForm()
    if request.method == "GET":
        form.fill_from(found)
    elif form.validate_on_submit():
        try:
            client.change_notes(
                shop["id"], user_id, notes=form.notes.data or "", tags=form.tag_list()
            )
        except ServiceError as error:
            if error.status != 422:
                raise
            show_service_error(form, error)
        else:
            flash(f"Your notes on {found['name']} are saved.", "success")
            return redirect(url_for(".customer", user_id=user_id, **_shop_arg()))
    status = 400 if request.method == "POST" else 200
    page = render_page(
        "customers/customer.html", shop=shop, customer=found, form=form, shop_arg=_shop_arg()
    )
    return page, status


def _shop_arg() -> dict[str, str]:
    wanted = request.args.get("shop", "")
    return {"shop": wanted} if wanted else {}
