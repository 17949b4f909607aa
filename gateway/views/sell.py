"""The seller portal: open a shop, the dashboard, and answering (accept, decline, propose an
extra charge) and shipping orders.

Inventory, uploads, settings and the statement live in the sell_* modules next to this one,
as blueprints nested in this one (gateway/portal.py): every page shares its login check and
its /sell prefix.
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from gateway import identity
from gateway.clients import ServiceError
from gateway.forms import ActionForm, DeclineForm, OpenShopForm, ShipForm
from gateway.forms.sell import ExtraChargeForm
from gateway.pages.conversations import conversations_client
from gateway.pages.covers import covers_ask
from gateway.pages.gather import Ask
from gateway.pages.helpers import show_service_error
from gateway.pages.invitations import invitations_to_me
from gateway.pages.layout import gather_page, page_context, render_page
from gateway.pages.sell_common import choose_shop, current_shop, time_left
from gateway.pages.seller_order import EXTRA_PREFIX, note_for, seller_order_page, shop_order_of

blueprint = Blueprint("sell", __name__)
RECENT_ORDERS = 10
LOW_STOCK = 1  # copies; at or below this the dashboard asks for a restock
DASHBOARD_MESSAGES = 5


@blueprint.before_request
@login_required
def require_login() -> None:
    """Every page of the portal is for signed-in people."""


@blueprint.app_template_filter("time_left")
def _time_left_filter(respond_by: str | None) -> dict | None:
    return time_left(respond_by)


@blueprint.route("/", methods=["GET", "POST"])
def dashboard() -> ResponseReturnValue:
    shop = current_shop()
    if shop is None:
        return _open_shop()
    client = identity.shops_client()
    conversations = conversations_client()
    shop_id = shop["id"]
    found = gather_page(
        {
            "orders": Ask(partial(client.orders, shop_id), "your orders"),
            "by_quantity": Ask(
                partial(client.find_listings, shop_id, sort="quantity", per_page=20),
                "your stock",
            ),
            "latest": Ask(
                partial(client.find_listings, shop_id, sort="-updated", per_page=5),
                "your latest listings",
            ),
            "recent_threads": Ask(
                partial(conversations.shop_conversations, shop_id, per_page=DASHBOARD_MESSAGES),
                "",  # the messages' part of the dashboard is left out: the inbox says more
            ),
        }
    )
    orders = found["orders"] or []
    waiting = sorted(
        (order for order in orders if order["status"] == "pending"),
        # Orders waiting on the buyer (an extra charge) have no deadline: they come last.
        key=lambda order: order.get("respond_by") or "~",
    )
    # Orders still waiting are listed once, above; the rest are the shop's recent history.
    recent = [order for order in orders if order["status"] != "pending"][:RECENT_ORDERS]
    stock = (found["by_quantity"] or {}).get("listings") or []
    latest = found["latest"] or {}
    context = {
        "shop": shop,
        "waiting": waiting,
        "recent": recent,
        "low_stock": [item for item in stock if item["quantity"] <= LOW_STOCK],
        "latest": latest.get("listings") or [],
        "listing_count": latest.get("total") or 0,
        "invitations_to_me": invitations_to_me(),
    }
    return render_template("sell/dashboard.html", **page_context(found, context))


@blueprint.post("/shop")
def switch_shop() -> ResponseReturnValue:
    form = ActionForm()
    chosen = choose_shop(request.form.get("shop_id", "")) if form.validate_on_submit() else None
    if chosen is None:
        flash("Choose one of your shops.", "error")
    else:
        flash(f"You are working on {chosen['name']}.", "success")
    return redirect(url_for("sell.dashboard"))


@blueprint.route("/shops/new", methods=["GET", "POST"])
def open_another_shop() -> ResponseReturnValue:
    return _open_shop(action=url_for("sell.open_another_shop"))


def _open_shop(*, action: str | None = None) -> ResponseReturnValue:
    if not current_user.email_verified:
        # A shop's buyers and the platform must be able to reach whoever runs it.
        page = render_page("sell/confirm_address_first.html")
        return page, 403 if request.method == "POST" else 200
    form = OpenShopForm()
    if form.validate_on_submit():
        fields = {"name": form.name.data, "signature": form.signature.data}
        if form.country.data:
            fields["country"] = form.country.data
        try:
            opened = identity.shops_client().open_shop(**fields)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            # The new shop must be in every token from now on, and is the one shown next.
            choose_shop(opened["id"])
            flash("Your shop is open. List your first item!", "success")
            return redirect(url_for("sell.dashboard"))
    page = render_page(
        "sell/open_shop.html",
        form=form,
        action=action or url_for("sell.dashboard"),
        invitations_to_me=invitations_to_me(),
    )
    return page, 400 if form.errors else 200


@blueprint.get("/orders/<shop_order_id>")
def order(shop_order_id: str) -> ResponseReturnValue:
    return seller_order_page(shop_order_id)


@blueprint.get("/orders/<shop_order_id>/slip")
def slip(shop_order_id: str) -> ResponseReturnValue:
    """A page to print and put in the parcel: what is in it, and the personal note."""
    shop, found = shop_order_of(shop_order_id)
    if found.get("note"):
        note, signed_by = found["note"], found.get("signed_by") or shop.get("signature")
    else:
        # Not shipped yet: the slip carries the note the ship form starts from.
        note, signed_by = note_for(shop, found), shop.get("signature")
    return render_page(
        "sell/slip.html",
        asks={"covers": covers_ask(line.get("listing_id") for line in found.get("lines") or [])},
        shop=shop,
        order=found,
        note=note,
        signed_by=signed_by,
    )


@blueprint.post("/orders/<shop_order_id>/accept")
def accept(shop_order_id: str) -> ResponseReturnValue:
    shop, _ = shop_order_of(shop_order_id)
    try:
        identity.shops_client().accept(shop["id"], shop_order_id)
    except ServiceError as error:
        flash(error.message, "error")  # e.g. 409: it was answered meanwhile
    else:
        flash("Accepted. Time to pack it!", "success")
    return redirect(url_for("sell.order", shop_order_id=shop_order_id))


@blueprint.post("/orders/<shop_order_id>/decline")
def decline(shop_order_id: str) -> ResponseReturnValue:
    shop, _ = shop_order_of(shop_order_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            identity.shops_client().decline(shop["id"], shop_order_id, reason=form.reason.data)
        except ServiceError as error:
            if error.status != 422:
                flash(error.message, "error")
                return redirect(url_for("sell.order", shop_order_id=shop_order_id))
            show_service_error(form, error)
        else:
            flash("Declined. The buyer will see your reason.", "success")
            return redirect(url_for("sell.order", shop_order_id=shop_order_id))
    return seller_order_page(shop_order_id, decline_form=form, status=400)


@blueprint.post("/orders/<shop_order_id>/extra-charge")
def propose_extra_charge(shop_order_id: str) -> ResponseReturnValue:
    shop, _ = shop_order_of(shop_order_id)
    form = ExtraChargeForm(prefix=EXTRA_PREFIX)
    if form.validate_on_submit():
        try:
            identity.shops_client().propose_extra_charge(
                shop["id"], shop_order_id, amount=form.minor_units, reason=form.reason.data or ""
            )
        except ServiceError as error:
            if error.status != 422:
                flash(error.message, "error")  # e.g. 409: answered or proposed meanwhile
                return redirect(url_for("sell.order", shop_order_id=shop_order_id))
            show_service_error(form, error)
        else:
            flash("Proposed. The buyer is asked to accept or refuse the extra charge.", "success")
            return redirect(url_for("sell.order", shop_order_id=shop_order_id))
    return seller_order_page(shop_order_id, extra_charge_form=form, status=400)


@blueprint.post("/orders/<shop_order_id>/ship")
def ship(shop_order_id: str) -> ResponseReturnValue:
    shop, _ = shop_order_of(shop_order_id)
    form = ShipForm()
    if form.validate_on_submit():
        try:
            identity.shops_client().ship(
                shop["id"],
                shop_order_id,
                note=form.note.data or "",
                carrier=form.carrier.data or None,
                tracking_number=form.tracking_number.data or None,
            )
        except ServiceError as error:
            if error.status != 422:
                flash(error.message, "error")
                return redirect(url_for("sell.order", shop_order_id=shop_order_id))
            show_service_error(form, error)
        else:
            flash("Shipped. Your note is on its way with the parcel.", "success")
            return redirect(url_for("sell.order", shop_order_id=shop_order_id))
    return seller_order_page(shop_order_id, ship_form=form, status=400)
