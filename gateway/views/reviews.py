"""Shop pages, reviews and reputation, for shoppers.

A shop's public page shows what search knows of the shop, its policies (from the shops
service), its reputation and reviews (from the orders service) and its listings in stock.
Each part fails on its own: a service that is down hides its part, not the whole page.
"""

from __future__ import annotations

import logging
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from gateway import identity
from gateway.clients import CatalogClient, ServiceError, ShopsClient
from gateway.clients.reviews import ShopPagesClient
from gateway.forms.reviews import review_form
from gateway.pages.followed import favourite_shop_ids, followed_ask, followed_first
from gateway.pages.gather import Ask
from gateway.pages.helpers import sentence, show_service_error
from gateway.pages.layout import gather_page, page_context
from gateway.pages.order import order_page
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
    listings = identity.client_of(CatalogClient, "catalog")
    found = gather_page(
        {
            "reviews": _shop_reviews_ask(shop_id, reviews_page),
            "listings": Ask(
                partial(
                    listings.search,
                    "",
                    page=page_arg("page"),
                    per_page=LISTINGS_PER_PAGE,
                    filters={"shop": shop_id, "sort": "newest", "in_stock": "true"},
                ),
                "the shop's listings",
            ),
            "policies": _policies_ask(shop_id),
            **followed_ask([shop_id]),
        }
    )
    reviews = found["reviews"]
    if reviews and reviews_page == 1:
        # The reviews of the people the shopper follows come first.
        reviews["reviews"] = followed_first(
            found["followed"], shop_id, list(reviews.get("reviews") or [])
        )
    results = found["listings"] or {}
    total = int(results.get("total", 0))
    page = int(results.get("page", 1))
    context = {
        "shop": shop,
        "distance_km": _distance_to(shop),
        "reputation": (reviews or {}).get("reputation") or shop.get("reputation"),
        "reviews": reviews,
        "reviews_page": reviews_page,
        "hits": results.get("hits", []),
        "total": total,
        "page": page,
        "has_next": page * LISTINGS_PER_PAGE < total,
        "favourite_shop_ids": favourite_shop_ids(),
    }
    return render_template("reviews/shop.html", **page_context(found, context))


def _distance_to(shop: dict) -> float | None:
    """How far the shop's town is from the town the shopper gave in this visit."""
    here = shopper_coordinates()
    lat, lon = shop.get("latitude"), shop.get("longitude")
    if here is None or lat is None or lon is None:
        return None
    return geo.distance_km(here[0], here[1], float(lat), float(lon))


def _shop_reviews_ask(shop_id: str, page: int) -> Ask:
    client = reviews_client()
    return Ask(
        partial(client.shop_reviews, shop_id, page=page, per_page=REVIEWS_PER_PAGE),
        "the shop's reviews",
    )


def _policies_ask(shop_id: str) -> Ask:
    client = identity.client_of(ShopsClient, "shops")
    return Ask(lambda: client.shop(shop_id).get("policies"), "the shop's policies")


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
    return order_page(order_id, review_forms={part_id: form}, status=400)


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
