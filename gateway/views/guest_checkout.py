"""Checkout without an account: the guest's cart, an e-mail address, a delivery address and
a card; the order then opens through a signed link (gateway/guest_orders.py)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from gateway import accounts, guest_orders
from gateway.clients import OrdersClient, ServiceError
from gateway.countries import country_name
from gateway.forms.shop import GuestCheckoutForm
from gateway.guest_cart import guest_id
from gateway.identity import db, guest_orders_client, settings
from gateway.pages.addresses import form_rules
from gateway.pages.cart import CHECKOUT_FIELDS, card_declined, grouped_cart
from gateway.pages.helpers import show_service_error
from gateway.pages.layout import render_page
from gateway.pages.ship_to import COUNTRY_CODES, remember_country, shopper_country

blueprint = Blueprint("guest", __name__)


def _orders_for(guest: str, name: str = "Guest") -> OrdersClient:
    """The orders service, spoken to as this guest (named as on their parcels)."""
    return guest_orders_client(guest, name)


@blueprint.route("/checkout/guest", methods=["GET", "POST"])
def checkout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("orders.checkout"))
    guest = guest_id()
    if guest is None:
        flash("Your cart is empty.", "info")
        return redirect(url_for("orders.cart"))
    form = GuestCheckoutForm()
    if request.method == "GET" and not form.country.data:
        asked = (request.args.get("country") or "").strip().upper()
        form.country.data = (asked if asked in COUNTRY_CODES else None) or shopper_country() or ""
    changes: list[str] = []
    if form.validate_on_submit():
        country = form.country.data or ""
        try:
            order = _orders_for(guest, form.name.data or "").checkout(
                idempotency_key=form.idempotency_key.data or "",
                address=form.postal_fields(),
                card_number=form.card_digits(),
                expected_total=form.shown_total(),
            )
        except ServiceError as error:
            if error.status == 409 and error.fields:
                changes = list(error.fields.values())
                flash(error.message, "error")
            elif error.status == 402:
                form.card_number.errors = [*form.card_number.errors, card_declined(error.message)]  # type: ignore[misc]
            else:
                show_service_error(form, error, field_names=CHECKOUT_FIELDS)
        else:
            token = guest_orders.link_token(
                settings().secret_key, order_id=order["id"], guest_id=guest
            )
            guest_orders.remember(
                db(),
                order_id=order["id"],
                guest_id=guest,
                email=accounts.normalize_email(form.email.data or ""),
                link=(settings().public_url or request.host_url).rstrip("/")
                + url_for(".order", token=token),
            )
            flash(
                "Thank you! Your order is placed; each shop will confirm its part. "
                "Keep this page's address: it is the link to your order.",
                "success",
            )
            return remember_country(redirect(url_for(".order", token=token)), country)
    for hidden in (form.expected_total, form.idempotency_key):
        for problem in hidden.errors:
            flash(str(problem), "error")  # a hidden field has no place of its own to say it
    contents = _orders_for(guest).cart(country=form.country.data or None)
    if not contents.get("lines") and request.method == "GET":
        flash("Your cart is empty.", "info")
        return redirect(url_for("orders.cart"))
    total = contents.get("total") or {}
    form.expected_total.data = str(total["amount"]) if "amount" in total else ""
    status = 400 if form.errors or request.method == "POST" else 200
    return render_page(
        "shop/guest_checkout.html",
        form=form,
        cart=grouped_cart(contents),
        changes=changes,
        country_label=country_name(form.country.data),
        country_form=form_rules(form),
    ), status


@blueprint.get("/orders/by-link/<token>")
def order(token: str) -> ResponseReturnValue:
    """A guest's order, for whoever holds its signed link."""
    named = guest_orders.read_token(settings().secret_key, token)
    if named is None:
        abort(404, "This link does not lead to an order. Check that it was copied whole.")
    order_id, guest = named
    try:
        found = _orders_for(guest).order(order_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "This link does not lead to an order. Check that it was copied whole.")
        raise
    link = url_for(".order", token=token, _external=True)
    return render_page("shop/guest_order.html", order=found, link=link)
