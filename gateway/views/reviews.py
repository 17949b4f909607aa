"""Shop pages, reviews and reputation, for shoppers.

A shop's public page shows what search knows of the shop, its policies (from the shops
service), its reputation and reviews (from the orders service) and its listings in stock.
Each part fails on its own: a service that is down hides its part, not the whole page.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from gateway import identity
from gateway.clients import CatalogClient, ServiceError, ServiceUnavailable, ShopsClient
from gateway.clients.reviews import ShopPagesClient
from gateway.forms.reviews import ReviewForm, review_form
from gateway.pages.followed import followed_first
from gateway.pages.helpers import sentence, show_service_error
from gateway.pages.reviews import page_arg, reviews_client
from gateway.pages.search import RATINGS
from gateway.pages.ship_to import shopper_coordinates
from services.common import geo

log = logging.getLogger(__name__)
blueprint = Blueprint("reviews", __name__)

LISTINGS_PER_PAGE = 20
REVIEWS_PER_PAGE = 10
PAGE_ARGS = ("page", "reviews_page")


# --- the shop's public page ----------------------------------------------------------------


@blueprint.get("/shops/<slug>")
def shop_page(slug: str) -> ResponseReturnValue:
    try:
        shop = identity.client_of(ShopPagesClient, "catalog").shop(slug)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such shop.")
        raise
    if shop.get("slug") and shop["slug"] != slug:
        # Search results link to a shop by its id; the page's address is its slug.
        pages = {name: value for name in PAGE_ARGS if (value := request.args.get(name))}
        return redirect(url_for(".shop_page", slug=shop["slug"], **pages), 301)
    shop_id = str(shop["id"])
    reviews_page = page_arg("reviews_page")
    reviews = _shop_reviews(shop_id, reviews_page)
    if reviews and reviews_page == 1:
        # The reviews of the people the shopper follows come first (views/people.py).
        reviews["reviews"] = followed_first(shop_id, list(reviews.get("reviews") or []))
    listings = identity.client_of(CatalogClient, "catalog").search(
        "",
        page=page_arg("page"),
        per_page=LISTINGS_PER_PAGE,
        filters={"shop": shop_id, "sort": "newest", "in_stock": "true"},
    )
    total = int(listings.get("total", 0))
    page = int(listings.get("page", 1))
    return render_template(
        "reviews/shop.html",
        shop=shop,
        distance_km=_distance_to(shop),
        policies=_policies(shop_id),
        reputation=(reviews or {}).get("reputation") or shop.get("reputation"),
        reviews=reviews,
        reviews_page=reviews_page,
        hits=listings.get("hits", []),
        total=total,
        page=page,
        has_next=page * LISTINGS_PER_PAGE < total,
    )


def _distance_to(shop: dict) -> float | None:
    """How far the shop's town is from the town the shopper gave in this visit."""
    here = shopper_coordinates()
    lat, lon = shop.get("latitude"), shop.get("longitude")
    if here is None or lat is None or lon is None:
        return None
    return geo.distance_km(here[0], here[1], float(lat), float(lon))


def _shop_reviews(shop_id: str, page: int) -> dict | None:
    try:
        return reviews_client().shop_reviews(shop_id, page=page, per_page=REVIEWS_PER_PAGE)
    except (ServiceError, ServiceUnavailable) as error:
        log.warning("shop reviews unavailable", extra={"shop_id": shop_id, "error": str(error)})
        return None


def _policies(shop_id: str) -> dict | None:
    try:
        return identity.client_of(ShopsClient, "shops").shop(shop_id).get("policies")
    except (ServiceError, ServiceUnavailable) as error:
        log.warning("shop policies unavailable", extra={"shop_id": shop_id, "error": str(error)})
        return None


# --- the buyer's review, on their order page ---------------------------------------------


@blueprint.post("/orders/<order_id>/parts/<part_id>/review")
@login_required
def post_review(order_id: str, part_id: str) -> ResponseReturnValue:
    form = review_form(part_id)
    back = url_for("orders.order", order_id=order_id) + f"#part-{part_id}"
    if form.validate_on_submit():
        try:
            reviews_client().post_review(
                order_id, part_id, rating=int(form.rating.data or 0), text=form.text.data or ""
            )
        except ServiceError as error:
            if error.status == 404:
                abort(404, "There is no such order among yours.")
            if error.status == 409:
                flash(sentence(error.message), "error")
                return redirect(back)
            show_service_error(form, error)
        else:
            flash("Thank you: your review is on the shop's page.", "success")
            return redirect(back)
    g.review_forms = {part_id: form}
    try:
        order = identity.orders_client().order(order_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such order among yours.")
        raise
    return render_template("shop/order.html", order=order), 400


@blueprint.app_template_global()
def order_reviews(order: dict) -> dict[str, dict] | None:
    """The buyer's reviews of an order's parts by part id; None when they cannot be known."""
    cache = g.setdefault("order_reviews", {})
    order_id = str(order.get("id"))
    if order_id not in cache:
        try:
            found = reviews_client().order_reviews(order_id)
            cache[order_id] = {str(review["shop_order_id"]): review for review in found}
        except (ServiceError, ServiceUnavailable) as error:
            log.warning("order reviews unavailable", extra={"error": str(error)})
            cache[order_id] = None
    return cache[order_id]


@blueprint.app_template_global()
def review_form_for(part: dict) -> ReviewForm:
    part_id = str(part.get("shop_order_id"))
    return g.get("review_forms", {}).get(part_id) or review_form(part_id)


@blueprint.app_template_global()
def rating_choices() -> list[tuple[str, str]]:
    """The shop's minimum ratings the search page offers."""
    return list(RATINGS.items())


@blueprint.app_template_global()
def shop_link(shop_key: str | None) -> str | None:
    """The shop's public page, by its slug or (from a search result) its id."""
    return url_for("reviews.shop_page", slug=shop_key) if shop_key else None


@blueprint.app_template_filter("stars")
def stars_filter(average: float | int | None) -> str:
    """★★★★☆ for 4.2: whole stars, rounded to the nearest, out of five."""
    filled = max(0, min(5, round(float(average or 0))))
    return "★" * filled + "☆" * (5 - filled)
