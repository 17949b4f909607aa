"""The shopper's cart, checkout with a card, and their orders: cancel a part, answer a shop's
extra charge, confirm receipt."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import login_required

from gateway.clients import ServiceError, ServiceUnavailable
from gateway.countries import country_choices, country_name
from gateway.forms import CheckoutForm
from gateway.forms.shop import CancelPartForm
from gateway.guest_cart import cart_client
from gateway.identity import orders_client
from gateway.pages.addresses import form_rules
from gateway.pages.cart import CHECKOUT_FIELDS, card_declined, grouped_cart
from gateway.pages.covers import covers_ask
from gateway.pages.helpers import show_service_error
from gateway.pages.layout import render_page
from gateway.pages.order import order_page
from gateway.pages.ship_to import COUNTRY_CODES, remember_country, shopper_country

blueprint = Blueprint("orders", __name__)


@blueprint.get("/cart")
def cart() -> ResponseReturnValue:
    chosen = (request.args.get("country") or "").strip().upper()
    if chosen and chosen not in COUNTRY_CODES:
        flash("Choose a country from the list.", "error")
        chosen = ""
    # Signed out, the guest cart (none yet: an empty one).
    client = cart_client()
    if client is not None and chosen:
        client.set_cart_country(chosen)
    contents = client.cart(country=chosen or shopper_country()) if client else {"lines": []}
    country = contents.get("country") or chosen or None
    response = make_response(
        render_page(
            "shop/cart.html",
            asks={
                "covers": covers_ask(line.get("listing_id") for line in contents.get("lines") or [])
            },
            cart=grouped_cart(contents),
            country=country,
            country_label=country_name(country),
            countries=country_choices(),
        )
    )
    return remember_country(response, chosen)


@blueprint.post("/cart/delivery/<shop_id>")
def choose_delivery(shop_id: str) -> ResponseReturnValue:
    """The shopper picks how one shop's parcel comes: a service, or collection in person."""
    # CSRFProtect has checked the form's token before we get here.
    client = cart_client()
    service = (request.form.get("service") or "").strip()[:40] or None
    if client is not None:
        try:
            client.set_delivery(shop_id, service)
        except ServiceError as error:
            flash(error.message, "error")
    back = request.form.get("back") == "checkout"
    return redirect(url_for("orders.checkout") if back else url_for("orders.cart"))


@blueprint.post("/cart/lines/<listing_id>/remove")
def remove_from_cart(listing_id: str) -> ResponseReturnValue:
    # CSRFProtect has checked the form's token before we get here.
    client = cart_client()
    if client is None:
        return redirect(url_for("orders.cart"))
    try:
        client.remove_from_cart(listing_id)
    except ServiceError as error:
        if error.status != 404:  # already gone is what the person wanted
            flash(error.message, "error")
    return redirect(url_for("orders.cart"))


@blueprint.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout() -> ResponseReturnValue:
    form = CheckoutForm()
    asked = (request.args.get("country") or "").strip().upper()
    if request.method == "GET":
        # The default address of the address book first; a link may name another
        # destination (?country=NL), so the total shown includes its shipping from the start.
        prefill_from_address_book(form, unless_country=asked)
    if request.method == "GET" and not form.country.data:
        form.country.data = (asked if asked in COUNTRY_CODES else None) or shopper_country() or ""
    changes: list[str] = []
    if form.validate_on_submit():
        country = form.country.data or ""
        try:
            order = orders_client().checkout(
                idempotency_key=form.idempotency_key.data or "",
                address=form.postal_fields(),
                card_number=form.card_digits(),
                expected_total=form.shown_total(),
            )
        except ServiceError as error:
            if error.status == 409 and error.fields:
                # The cart changed since it was shown (price, stock, a shop's shipping): each
                # change is listed, and the page below shows the new total.
                changes = list(error.fields.values())
                flash(error.message, "error")
            elif error.status == 402:
                # Declined: nothing was charged, and the same form may be sent with another card.
                declined = card_declined(error.message)
                form.card_number.errors = [*form.card_number.errors, declined]  # type: ignore[misc]
            else:
                show_service_error(form, error, field_names=CHECKOUT_FIELDS)
        else:
            flash("Thank you! Your order is placed; each shop will confirm its part.", "success")
            if form.save_address.data:
                save_to_address_book(form)
            response = redirect(url_for("orders.order", order_id=order["id"]))
            return remember_country(response, country)
    for hidden in (form.expected_total, form.idempotency_key):
        for problem in hidden.errors:
            flash(str(problem), "error")  # a hidden field has no place of its own to say it
    contents = orders_client().cart(country=form.country.data or None)
    if not contents.get("lines") and request.method == "GET":
        flash("Your cart is empty.", "info")
        return redirect(url_for("orders.cart"))
    total = contents.get("total") or {}
    # Whatever was posted, the page now shows this total: it is the one to agree to.
    form.expected_total.data = str(total["amount"]) if "amount" in total else ""
    status = 400 if form.errors or request.method == "POST" else 200
    return render_page(
        "shop/checkout.html",
        form=form,
        cart=grouped_cart(contents),
        changes=changes,
        country_label=country_name(form.country.data),
        country_form=form_rules(form),
    ), status


def prefill_from_address_book(form: CheckoutForm, *, unless_country: str) -> None:
    """Start the address from the shopper's default one, unless the page was asked for
    another country."""
    try:
        saved = orders_client().addresses()
    except ServiceError:
        return  # the form starts empty; checkout itself still works
    default = next((entry for entry in saved if entry.get("is_default")), None)
    if default is None:
        return
    address = default.get("address") or {}
    if unless_country and unless_country != address.get("country_code"):
        return
    form.fill_from(address)


def save_to_address_book(form: CheckoutForm) -> None:
    """After the order is placed: keep the address for next time, unless it is there."""
    fields = form.postal_fields()
    try:
        client = orders_client()
        known = [entry.get("address") or {} for entry in client.addresses()]
        checked = {"name", "street_address", "postal_code", "country_code"}
        if not any(
            all((entry.get(key) or "").upper() == fields[key].upper() for key in checked)
            for entry in known
        ):
            client.save_address(fields)
    except (ServiceError, ServiceUnavailable):
        # The order is placed; only the address book missed it (refused, down or late). Say
        # so, do not fail.
        flash("Your order is placed, but the address could not be saved for next time.", "info")


@blueprint.get("/orders")
@login_required
def orders() -> ResponseReturnValue:
    return render_page("shop/orders.html", orders=orders_client().orders())


@blueprint.get("/orders/<order_id>")
@login_required
def order(order_id: str) -> ResponseReturnValue:
    return order_page(order_id)


@blueprint.route("/orders/<order_id>/parts/<shop_order_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_part(order_id: str, shop_order_id: str) -> ResponseReturnValue:
    """A page that asks first: cancelling cannot be undone, and the shop may hear why."""
    form = CancelPartForm()
    if form.validate_on_submit():
        reason = (form.reason.data or "").strip() or None
        return _part_action(order_id, shop_order_id, cancel=True, reason=reason)
    try:
        found = orders_client().order(order_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such order among yours.")
        raise
    part = next(
        (p for p in found.get("parts", []) if p.get("shop_order_id") == shop_order_id), None
    )
    if part is None:
        abort(404, "There is no such part in this order.")
    status = 400 if request.method == "POST" else 200
    return render_page("shop/cancel_part.html", order=found, part=part, form=form), status


@blueprint.post("/orders/<order_id>/parts/<shop_order_id>/received")
@login_required
def mark_received(order_id: str, shop_order_id: str) -> ResponseReturnValue:
    return _part_action(order_id, shop_order_id, cancel=False)


def _part_action(
    order_id: str, shop_order_id: str, *, cancel: bool, reason: str | None = None
) -> ResponseReturnValue:
    # CSRFProtect has checked the form's token before we get here.
    client = orders_client()
    try:
        if cancel:
            client.cancel_part(order_id, shop_order_id, reason=reason or "")
        else:
            client.mark_received(order_id, shop_order_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such order among yours.")
        flash(error.message, "error")  # e.g. the shop accepted it meanwhile
    else:
        flash(
            "Your request to cancel is sent to the shop. If it has not accepted your order "
            "yet, the part is cancelled and its payment released; if it has, it goes on and "
            "this page says so."
            if cancel
            else "Thank you for letting the shop know it arrived.",
            "success",
        )
    return redirect(url_for("orders.order", order_id=order_id) + f"#part-{shop_order_id}")


@blueprint.post("/orders/<order_id>/parts/<shop_order_id>/extra-charge/<answer>")
@login_required
def answer_extra_charge(order_id: str, shop_order_id: str, answer: str) -> ResponseReturnValue:
    # CSRFProtect has checked the form's token before we get here.
    if answer not in ("accept", "refuse"):
        abort(404)
    client = orders_client()
    try:
        if answer == "accept":
            client.accept_extra_charge(order_id, shop_order_id)
        else:
            client.refuse_extra_charge(order_id, shop_order_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such order among yours.")
        flash(error.message, "error")  # e.g. declined by the card, or answered meanwhile
    else:
        flash(
            "Accepted: the extra is held on your card; the shop can now accept your order."
            if answer == "accept"
            else "Refused: this part is cancelled and its payment released.",
            "success",
        )
    return redirect(url_for("orders.order", order_id=order_id) + f"#part-{shop_order_id}")
