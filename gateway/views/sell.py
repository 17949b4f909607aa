"""The seller portal: open a shop, list items, answer and ship orders."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from gateway import identity
from gateway.clients import ServiceError
from gateway.forms import DeclineForm, ListingForm, OpenShopForm, ShipForm
from gateway.views.helpers import show_service_error

blueprint = Blueprint("sell", __name__)


@blueprint.before_request
@login_required
def require_login() -> None:
    """Every page of the portal is for signed-in people."""


def _current_shop() -> dict | None:
    # A shop opened from another device is not in this session's cache yet: look again
    # before offering to open a second one.
    shops = identity.my_shops() or identity.my_shops(refresh=True)
    # One shop per person for now; the portal shows the first one they own.
    return shops[0] if shops else None


@blueprint.route("/", methods=["GET", "POST"])
def dashboard() -> ResponseReturnValue:
    shop = _current_shop()
    if shop is None:
        return _open_shop()
    client = identity.shops_client()
    return render_template(
        "sell/dashboard.html",
        shop=shop,
        listings=client.listings(shop["id"]),
        orders=client.orders(shop["id"]),
    )


def _open_shop() -> ResponseReturnValue:
    form = OpenShopForm()
    if form.validate_on_submit():
        fields = {"name": form.name.data, "signature": form.signature.data}
        if form.country.data:
            fields["country"] = form.country.data
        try:
            identity.shops_client().open_shop(**fields)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            # The new shop must be in every token from now on.
            identity.my_shops(refresh=True)
            flash("Your shop is open. List your first item!", "success")
            return redirect(url_for("sell.dashboard"))
    return render_template("sell/open_shop.html", form=form), 400 if form.errors else 200


def _require_shop() -> dict:
    shop = _current_shop()
    if shop is None:
        flash("Open your shop first.", "info")
        abort(redirect(url_for("sell.dashboard")))
    return shop


@blueprint.route("/listings/new", methods=["GET", "POST"])
def new_listing() -> ResponseReturnValue:
    shop = _require_shop()
    form = ListingForm()
    if form.validate_on_submit():
        listing = {
            "title": form.title.data,
            "author": form.author.data or None,
            "isbn": form.isbn.data or None,
            "condition": form.condition.data,
            "description": form.description.data or "",
            "price": {
                "amount": form.price_minor_units,
                "currency": shop.get("currency") or "EUR",
            },
            "quantity": form.quantity.data,
        }
        try:
            identity.shops_client().create_listing(
                shop["id"], **{k: v for k, v in listing.items() if v is not None}
            )
        except ServiceError as error:
            show_service_error(
                form, error, field_names={"price.amount": "price", "price.currency": "price"}
            )
        else:
            flash(f"Listed “{form.title.data}”.", "success")
            return redirect(url_for("sell.dashboard"))
    status = 400 if form.errors else 200
    return render_template("sell/new_listing.html", form=form, shop=shop), status


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
        ),
        status,
    )


def _note_for(shop: dict, shop_order: dict) -> str:
    # A starting point, addressed to the buyer and signed by the shop's person, that the
    # seller makes their own.
    buyer = (shop_order.get("buyer") or {}).get("name") or "reader"
    signature = shop.get("signature") or ""
    return f"Dear {buyer},\n\nThank you for your order! I hope you enjoy it.\n\n{signature}"


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
