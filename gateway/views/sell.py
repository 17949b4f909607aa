"""The seller portal: open a shop, the dashboard, and answering (accept, decline, propose an
extra charge) and shipping orders.

Inventory, uploads, settings and the statement live in the sell_* modules next to this one,
as blueprints nested in this one: every page shares its login check and its /sell prefix.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from gateway import identity
from gateway.clients import ServiceError, ServiceUnavailable
from gateway.forms import ActionForm, DeclineForm, OpenShopForm, ShipForm
from gateway.forms.sell import ExtraChargeForm
from gateway.views import (
    sell_collection,
    sell_customers,
    sell_listings,
    sell_messages,
    sell_photos,
    sell_reviews,
    sell_settings,
    sell_statement,
    sell_tokens,
    sell_uploads,
    sell_webhooks,
)
from gateway.views.helpers import show_service_error
from gateway.views.sell_common import choose_shop, current_shop, time_left

blueprint = Blueprint("sell", __name__)
RECENT_ORDERS = 10
LOW_STOCK = 1  # copies; at or below this the dashboard asks for a restock
# The extra charge form shares the order page with the decline form: its own field ids.
EXTRA_PREFIX = "extra"
for child in (
    sell_collection,
    sell_listings,
    sell_uploads,
    sell_settings,
    sell_statement,
    sell_messages,
    sell_customers,
    sell_reviews,
    sell_photos,
    sell_tokens,
    sell_webhooks,
):
    blueprint.register_blueprint(child.blueprint)


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
    orders = client.orders(shop["id"])
    waiting = sorted(
        (order for order in orders if order["status"] == "pending"),
        # Orders waiting on the buyer (an extra charge) have no deadline: they come last.
        key=lambda order: order.get("respond_by") or "~",
    )
    # Orders still waiting are listed once, above; the rest are the shop's recent history.
    recent = [order for order in orders if order["status"] != "pending"][:RECENT_ORDERS]
    by_quantity = client.find_listings(shop["id"], sort="quantity", per_page=20)
    latest = client.find_listings(shop["id"], sort="-updated", per_page=5)
    return render_template(
        "sell/dashboard.html",
        shop=shop,
        waiting=waiting,
        recent=recent,
        low_stock=[item for item in by_quantity["listings"] if item["quantity"] <= LOW_STOCK],
        latest=latest["listings"],
        listing_count=latest["total"],
    )


@blueprint.context_processor
def portal_shops() -> dict:
    # Members of several shops switch between them from the portal's menu. The menu is
    # drawn on error pages too, where the shops service may be the thing that is down.
    try:
        return {"my_shops": identity.my_shops()}
    except (ServiceError, ServiceUnavailable):
        return {"my_shops": []}


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
        page = render_template("sell/confirm_address_first.html")
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
    page = render_template(
        "sell/open_shop.html", form=form, action=action or url_for("sell.dashboard")
    )
    return page, 400 if form.errors else 200


def _shop_order(shop_order_id: str) -> tuple[dict, dict]:
    """The order and the shop it belongs to, among the shops this person is a member of."""
    client = identity.shops_client()
    for shop in identity.my_shops():
        try:
            return shop, client.order(shop["id"], shop_order_id)
        except ServiceError as error:
            if error.status != 404:
                raise
    abort(404, "There is no such order in your shop.")


@blueprint.get("/orders/<shop_order_id>")
def order(shop_order_id: str) -> ResponseReturnValue:
    return _order_page(shop_order_id)


def _order_page(
    shop_order_id: str,
    *,
    decline_form: DeclineForm | None = None,
    ship_form: ShipForm | None = None,
    extra_charge_form: ExtraChargeForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    shop, found = _shop_order(shop_order_id)
    ship_form = ship_form or ShipForm(note=_note_for(shop, found))
    return (
        render_template(
            "sell/order.html",
            shop=shop,
            order=found,
            decline_form=decline_form or DeclineForm(),
            ship_form=ship_form,
            extra_charge_form=extra_charge_form or ExtraChargeForm(prefix=EXTRA_PREFIX),
        ),
        status,
    )


def _note_for(shop: dict, shop_order: dict) -> str:
    # A starting point, addressed to the buyer and signed by the shop's person, that the
    # seller makes their own.
    buyer = (shop_order.get("buyer") or {}).get("name") or "reader"
    signature = shop.get("signature") or ""
    return f"Dear {buyer},\n\nThank you for your order! I hope you enjoy it.\n\n{signature}"


@blueprint.get("/orders/<shop_order_id>/slip")
def slip(shop_order_id: str) -> ResponseReturnValue:
    """A page to print and put in the parcel: what is in it, and the personal note."""
    shop, found = _shop_order(shop_order_id)
    if found.get("note"):
        note, signed_by = found["note"], found.get("signed_by") or shop.get("signature")
    else:
        # Not shipped yet: the slip carries the note the ship form starts from.
        note, signed_by = _note_for(shop, found), shop.get("signature")
    return render_template("sell/slip.html", shop=shop, order=found, note=note, signed_by=signed_by)


@blueprint.post("/orders/<shop_order_id>/accept")
def accept(shop_order_id: str) -> ResponseReturnValue:
    shop, _ = _shop_order(shop_order_id)
    try:
        identity.shops_client().accept(shop["id"], shop_order_id)
    except ServiceError as error:
        flash(error.message, "error")  # e.g. 409: it was answered meanwhile
    else:
        flash("Accepted. Time to pack it!", "success")
    return redirect(url_for("sell.order", shop_order_id=shop_order_id))


@blueprint.post("/orders/<shop_order_id>/decline")
def decline(shop_order_id: str) -> ResponseReturnValue:
    shop, _ = _shop_order(shop_order_id)
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
    return _order_page(shop_order_id, decline_form=form, status=400)


@blueprint.post("/orders/<shop_order_id>/extra-charge")
def propose_extra_charge(shop_order_id: str) -> ResponseReturnValue:
    shop, _ = _shop_order(shop_order_id)
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
    return _order_page(shop_order_id, extra_charge_form=form, status=400)


@blueprint.post("/orders/<shop_order_id>/ship")
def ship(shop_order_id: str) -> ResponseReturnValue:
    shop, _ = _shop_order(shop_order_id)
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
    return _order_page(shop_order_id, ship_form=form, status=400)
