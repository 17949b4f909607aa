"""The shopper's site: search, listings, the cart, checkout and order history."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from gateway.clients import ServiceError
from gateway.forms import AddToCartForm, CheckoutForm
from gateway.identity import catalog_client, orders_client
from gateway.views.helpers import show_service_error

blueprint = Blueprint("shop", __name__)

PER_PAGE = 20


@blueprint.get("/")
def home() -> ResponseReturnValue:
    latest = catalog_client().search("", page=1, per_page=12)
    return render_template("shop/home.html", latest=latest.get("hits", []))


@blueprint.get("/search")
def search() -> ResponseReturnValue:
    query = request.args.get("q", "").strip()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    results = catalog_client().search(query, page=page, per_page=PER_PAGE)
    total = int(results.get("total", 0))
    return render_template(
        "shop/search.html",
        query=query,
        hits=results.get("hits", []),
        total=total,
        page=page,
        has_next=page * PER_PAGE < total,
    )


@blueprint.route("/listings/<listing_id>", methods=["GET"])
def listing(listing_id: str) -> ResponseReturnValue:
    return _listing_page(listing_id, AddToCartForm())


@blueprint.post("/listings/<listing_id>")
@login_required
def add_to_cart(listing_id: str) -> ResponseReturnValue:
    """The "Add to cart" form posts to the listing's own page, so logging in returns here."""
    form = AddToCartForm()
    if form.validate_on_submit():
        try:
            orders_client().add_to_cart(listing_id, int(form.quantity.data or 1))
        except ServiceError as error:
            if error.status == 404:
                abort(404)
            show_service_error(form, error, field_names={"listing_id": "quantity"})
        else:
            flash("Added to your cart.", "success")
            return redirect(url_for("shop.cart"))
    return _listing_page(listing_id, form, status=400)


def _listing_page(
    listing_id: str, form: AddToCartForm, *, status: int = 200
) -> ResponseReturnValue:
    try:
        item = catalog_client().listing(listing_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "This listing is gone: it sold out or the shop took it down.")
        raise
    return render_template("shop/listing.html", item=item, form=form), status


@blueprint.get("/cart")
@login_required
def cart() -> ResponseReturnValue:
    contents = orders_client().cart()
    lines_by_shop: dict[str, list[dict]] = {}
    for line in contents.get("lines", []):
        lines_by_shop.setdefault(str(line.get("shop_id")), []).append(line)
    return render_template(
        "shop/cart.html",
        shops=contents.get("shops", []),
        lines_by_shop=lines_by_shop,
        total=contents.get("total"),
        empty=not contents.get("lines"),
    )


@blueprint.post("/cart/lines/<listing_id>/remove")
@login_required
def remove_from_cart(listing_id: str) -> ResponseReturnValue:
    # CSRFProtect has checked the form's token before we get here.
    try:
        orders_client().remove_from_cart(listing_id)
    except ServiceError as error:
        if error.status != 404:  # already gone is what the person wanted
            flash(error.message, "error")
    return redirect(url_for("shop.cart"))


@blueprint.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout() -> ResponseReturnValue:
    form = CheckoutForm()
    if form.validate_on_submit():
        try:
            order = orders_client().checkout(
                idempotency_key=form.idempotency_key.data or "",
                shipping_name=form.name.data or "",
                shipping_address=form.address.data or "",
                country=form.country.data or "",
            )
        except ServiceError as error:
            show_service_error(
                form,
                error,
                field_names={"shipping_name": "name", "shipping_address": "address"},
            )
        else:
            flash("Thank you! Your order is placed; each shop will confirm its part.", "success")
            return redirect(url_for("shop.order", order_id=order["id"]))
    contents = orders_client().cart()
    if not contents.get("lines") and request.method == "GET":
        flash("Your cart is empty.", "info")
        return redirect(url_for("shop.cart"))
    status = 400 if form.errors or request.method == "POST" else 200
    return render_template("shop/checkout.html", form=form, cart=contents), status


@blueprint.get("/orders")
@login_required
def orders() -> ResponseReturnValue:
    return render_template("shop/orders.html", orders=orders_client().orders())


@blueprint.get("/orders/<order_id>")
@login_required
def order(order_id: str) -> ResponseReturnValue:
    try:
        found = orders_client().order(order_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such order among yours.")
        raise
    return render_template("shop/order.html", order=found)
