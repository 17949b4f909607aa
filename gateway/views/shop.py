"""The shopper's site: search, instant results, listings and the price comparison per work.

The cart, checkout and orders live in shop_orders.py.
"""

from __future__ import annotations

import logging
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from markupsafe import escape

from gateway.clients import ServiceError, ServiceUnavailable
from gateway.countries import country_choices, country_name
from gateway.forms import CONDITIONS, AddToCartForm
from gateway.guest_cart import cart_client
from gateway.identity import catalog_client
from gateway.money import format_money
from gateway.pages.followed import followed_ask
from gateway.pages.gather import REFUSALS, Ask
from gateway.pages.helpers import show_service_error
from gateway.pages.layout import gather_page, page_context, render_page
from gateway.pages.listing import cheapest_first, listing_page
from gateway.pages.search import (
    DISTANCES,
    FACETS,
    SORTS,
    active_filters,
    facet_groups,
    read_search,
    shipping_note,
    suggestions,
)
from gateway.pages.ship_to import (
    COUNTRY_CODES,
    remember_country,
    shopper_country,
    shopper_place,
)

log = logging.getLogger(__name__)

blueprint = Blueprint("shop", __name__)

PER_PAGE = 20
# The home page: the newest HOME_POOL listings, at most HOME_PER_SHOP of each shop, HOME_CARDS.
HOME_POOL = 60
HOME_PER_SHOP = 2
HOME_CARDS = 12
INSTANT_HITS = 6


@blueprint.get("/")
def home() -> ResponseReturnValue:
    try:
        newest = catalog_client().search("", page=1, per_page=HOME_POOL, filters={"sort": "newest"})
    except ServiceUnavailable as error:
        # The welcome and the search box still help: the page says the newest are missing.
        log.warning("home page without the newest listings", extra={"error": str(error)[:300]})
        return render_page("shop/home.html", latest=None, missing=["the books listed last"])
    latest = spread_over_shops(newest.get("hits", []), per_shop=HOME_PER_SHOP, limit=HOME_CARDS)
    return render_page(
        "shop/home.html",
        asks=followed_ask(hit.get("shop_id") for hit in latest),
        latest=latest,
        discover=shop_to_discover(latest),
    )


def spread_over_shops(hits: list[dict], *, per_shop: int, limit: int) -> list[dict]:
    """The newest hits, at most `per_shop` from any one shop: one shop that just uploaded
    its whole stock must not fill the home page. Newest first within what is kept."""
    kept: list[dict] = []
    taken: dict[str, int] = {}
    for hit in hits:
        shop = str(hit.get("shop_id"))
        if taken.get(shop, 0) < per_shop:
            taken[shop] = taken.get(shop, 0) + 1
            kept.append(hit)
        if len(kept) == limit:
            break
    return kept


def shop_to_discover(hits: list[dict]) -> dict | None:
    """One of the shops on the page, a different one each day, with its newest listing."""
    shops: dict[str, dict] = {}
    for hit in hits:
        shops.setdefault(str(hit.get("shop_id")), hit)
    if not shops:
        return None
    ordered = sorted(shops)
    return shops[ordered[date.today().toordinal() % len(ordered)]]


@blueprint.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Browsers ask every site for this address, whatever its pages link to."""
    assert current_app.static_folder is not None
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=7 * 24 * 3600)


@blueprint.get("/search")
def search() -> ResponseReturnValue:
    # The ship-to choice on the page; remembered like the compare page's.
    chosen = (request.args.get("ship_to") or "").strip().upper()
    valid = chosen in COUNTRY_CODES
    ship_to = chosen if valid else shopper_country()
    town, place, town_error = shopper_place(ship_to)
    wanted = read_search(request.args, country=ship_to, near=place)
    if chosen and not valid:
        wanted.errors["ship_to"] = "Choose a country from the list."
    if town_error:
        wanted.errors["near"] = town_error
    results: dict = {}
    try:
        results = catalog_client().search(
            wanted.query,
            page=wanted.page,
            per_page=PER_PAGE,
            filters={**wanted.filters, "facets": ",".join(FACETS)},
        )
    except ServiceError as error:
        # A filter the catalog does not take: say so beside the form, show no results.
        for name, reason in error.fields.items():
            wanted.errors.setdefault(name, reason)
        if not error.fields:
            wanted.errors["query"] = error.message
    hits = results.get("hits", [])
    for hit in hits:
        hit["shipping_note"] = shipping_note(hit, country=ship_to)
    total = int(results.get("total", 0))
    shop_names = {str(hit.get("shop_id")): str(hit.get("shop_name")) for hit in hits}
    page = render_page(
        "shop/search.html",
        # Who of the people the shopper follows bought from the page's shops: one question.
        asks=followed_ask(shop_names),
        wanted=wanted,
        ship_to=ship_to,
        town=town,
        distances=DISTANCES,
        countries=country_choices(),
        query=wanted.query,
        hits=hits,
        total=total,
        page=wanted.page,
        has_next=wanted.page * PER_PAGE < total,
        pages=max(1, -(-total // PER_PAGE)),
        facets=facet_groups(results.get("facets"), wanted, shop_names=shop_names),
        chips=active_filters(wanted, shop_names=shop_names),
        suggestions=suggestions(results),
        sorts=SORTS,
        conditions=CONDITIONS,
    )
    response = make_response(page, 400 if wanted.errors else 200)
    return remember_country(response, chosen if valid else None)


@blueprint.get("/search/instant")
def instant() -> ResponseReturnValue:
    """The header's as-you-type results: a few hits, HTML-safe, for search.js."""
    query = (request.args.get("q") or "").strip()[:300]
    if not query:
        return jsonify(query="", total=0, hits=[])
    results = catalog_client().search(query, page=1, per_page=INSTANT_HITS)
    hits = []
    for hit in results.get("hits", []):
        highlight = hit.get("highlight") or {}
        hits.append(
            {
                "url": url_for("shop.listing", listing_id=hit.get("listing_id")),
                # The catalog escapes its highlights itself; everything else is escaped here.
                "title_html": highlight.get("title") or str(escape(hit.get("title") or "")),
                "author": hit.get("author") or "",
                "price": format_money(hit.get("price")),
                "shop_name": hit.get("shop_name") or "",
            }
        )
    return jsonify(
        query=query,
        total=int(results.get("total", 0)),
        hits=hits,
        more_url=url_for("shop.search", q=query),
    )


@blueprint.route("/listings/<listing_id>", methods=["GET"])
def listing(listing_id: str) -> ResponseReturnValue:
    return listing_page(listing_id, AddToCartForm())


@blueprint.post("/listings/<listing_id>")
def add_to_cart(listing_id: str) -> ResponseReturnValue:
    """The "Add to cart" form posts to the listing's own page. Signed out, the item goes to
    a guest cart, which joins the account's cart on logging in or signing up."""
    form = AddToCartForm()
    if form.validate_on_submit():
        try:
            client = cart_client(create=True)
            assert client is not None
            client.add_to_cart(listing_id, int(form.quantity.data or 1))
        except ServiceError as error:
            if error.status == 404:
                abort(404)
            show_service_error(form, error, field_names={"listing_id": "quantity"})
        else:
            flash("Added to your cart.", "success")
            return redirect(url_for("orders.cart"))
    return listing_page(listing_id, form, status=400)


@blueprint.get("/works/<work_id>")
def compare(work_id: str) -> ResponseReturnValue:
    """Every shop's offer of one work, cheapest total (price + shipping to you) first."""
    chosen = (request.args.get("country") or "").strip().upper()
    errors: dict[str, str] = {}
    if chosen and chosen not in COUNTRY_CODES:
        errors["country"] = "Choose a country from the list."
        chosen = ""
    condition = (request.args.get("condition_at_least") or "").strip()
    if condition and condition not in dict(CONDITIONS):
        errors["condition_at_least"] = "Choose a condition from the list."
        condition = ""
    country = chosen or shopper_country()
    client = catalog_client()
    # The work and its offers asked at once, with the menus: one round trip for the page.
    try:
        found = gather_page(
            {
                "work": Ask(lambda: client.work(work_id), "", fails_page_on=(*REFUSALS, 404)),
                "offers": Ask(
                    lambda: client.offers(
                        work_id, country=country, condition_at_least=condition or None
                    ),
                    "",
                    fails_page_on=(*REFUSALS, 404),
                ),
            }
        )
    except ServiceError as error:
        if error.status == 404:
            abort(404, "We know of no shop offering this book right now.")
        raise
    if found["work"] is None or found["offers"] is None:
        raise ServiceUnavailable("catalog", "the work or its offers did not come")
    context = {
        "work": found["work"],
        "work_id": work_id,
        "offers": cheapest_first(found["offers"]),
        "country": country,
        "country_label": country_name(country),
        "countries": country_choices(),
        "condition": condition,
        "conditions": CONDITIONS,
        "errors": errors,
    }
    response = make_response(
        render_template("shop/compare.html", **page_context(found, context)),
        400 if errors else 200,
    )
    return remember_country(response, chosen)


@blueprint.app_template_filter("distance")
def _distance_filter(km: float | None) -> str:
    """How far a shop is from the centre of the shopper's town, such as "390 km away";
    towns are placed by their centres, so closer than a kilometre reads "in your town"."""
    if km is None:
        return ""
    if km < 1:
        return "in your town"
    return f"{km:.0f} km away" if km >= 10 else f"{km:.1f} km away"


@blueprint.app_template_filter("country")
def _country_filter(code: str | None) -> str:
    return country_name(code)
