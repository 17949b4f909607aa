"""Friends and favourite shops.

/people: follow someone by their e-mail address, answer requests, unfollow, remove a
follower, and whether to take requests at all. /favourites: the shops one follows and their
newest listings. The template globals put "bought from by N people you follow" on search
cards, listing pages and shop pages, and `followed_first` puts the reviews of the people
one follows first on a shop's page, with one question to the orders service per page at
most.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from gateway import identity, people_services
from gateway.accounts import AccountRuleBroken
from gateway.clients import ServiceError, ServiceUnavailable, ShopsClient
from gateway.clients.buyers import BuyersAtShop, BuyersClient
from gateway.forms import ActionForm
from gateway.forms.people import FollowForm, FollowShopForm, RequestsSettingForm
from gateway.people_services import FollowNotFound, Person
from gateway.views.helpers import safe_next

log = logging.getLogger(__name__)

blueprint = Blueprint("people", __name__)

# Newest listings shown on /favourites, from all the followed shops together.
FAVOURITES_LISTINGS = 40
# How a view tells the templates which shops its page lists: `g.<LISTED_SHOPS>`.
LISTED_SHOPS = "listed_shop_ids"
MAX_SHOPS_PER_QUESTION = 50


@contextmanager
def _reading() -> Iterator[Session]:
    """A session for a read while a page renders.

    On SQLite every transaction holds the write lock. A page whose view opened the
    request's session still holds it, so the read joins that session; otherwise a session
    of its own ends at once, and no lock is held while the page calls a service.
    """
    if "db" in g:
        yield identity.db()
        return
    with identity.runtime().session_factory() as session:
        yield session


# --- /people ------------------------------------------------------------------------------


@blueprint.get("/people")
@login_required
def people() -> ResponseReturnValue:
    return _people_page(FollowForm(formdata=None))


def _people_page(form: FollowForm, *, status: int = 200) -> ResponseReturnValue:
    found = people_services.overview(identity.db(), current_user.id)
    setting = RequestsSettingForm(formdata=None, accepts_requests=found.accepts_requests)
    return render_template("people/people.html", people=found, form=form, setting=setting), status


@blueprint.post("/people/follow")
@login_required
def ask_to_follow() -> ResponseReturnValue:
    form = FollowForm()
    if not form.validate_on_submit():
        return _people_page(form, status=400)
    email = (form.email.data or "").strip()
    try:
        people_services.ask_to_follow(identity.db(), follower_id=current_user.id, email=email)
    except AccountRuleBroken as broken:
        form.email.errors = [*form.email.errors, broken.message]  # type: ignore[misc]
        return _people_page(form, status=400)
    # The same words whether the address has an account or not.
    flash(
        f"Request sent. If {email} has an account that takes requests, they will see it.", "success"
    )
    return redirect(url_for("people.people"))


@blueprint.post("/people/follows/<follow_id>/accept")
@login_required
def accept(follow_id: str) -> ResponseReturnValue:
    _answer(people_services.accept, follow_id, "You accepted the request.")
    return redirect(url_for("people.people"))


@blueprint.post("/people/follows/<follow_id>/decline")
@login_required
def decline(follow_id: str) -> ResponseReturnValue:
    _answer(people_services.decline, follow_id, "You declined the request.")
    return redirect(url_for("people.people"))


@blueprint.post("/people/follows/<follow_id>/end")
@login_required
def end(follow_id: str) -> ResponseReturnValue:
    _answer(people_services.end_follow, follow_id, "Done: that follow has ended.")
    return redirect(url_for("people.people"))


def _answer(action, follow_id: str, message: str) -> None:  # noqa: ANN001 - a use case
    if not ActionForm().validate_on_submit():
        abort(400, "The form has expired: reload the page and try again.")
    try:
        action(identity.db(), user_id=current_user.id, follow_id=follow_id)
    except FollowNotFound:
        abort(404)
    flash(message, "success")


@blueprint.post("/people/settings")
@login_required
def settings() -> ResponseReturnValue:
    form = RequestsSettingForm()
    if not form.validate_on_submit():
        abort(400, "The form has expired: reload the page and try again.")
    accepts = bool(form.accepts_requests.data)
    people_services.set_accepts_requests(identity.db(), user_id=current_user.id, accepts=accepts)
    flash(
        "People can ask to follow you."
        if accepts
        else "Nobody can ask to follow you now; requests already waiting stay below.",
        "success",
    )
    return redirect(url_for("people.people"))


# --- /favourites --------------------------------------------------------------------------


@blueprint.get("/favourites")
@login_required
def favourites() -> ResponseReturnValue:
    with _reading() as session:
        shops = people_services.favourite_shops(session, current_user.id)
    hits: list[dict] = []
    note = None
    if shops:
        try:
            results = identity.catalog_client().search(
                "",
                page=1,
                per_page=FAVOURITES_LISTINGS,
                filters={
                    "shop": [shop.shop_id for shop in shops],
                    "in_stock": "1",
                    "sort": "newest",
                },
            )
            hits = list(results.get("hits", []))
        except (ServiceError, ServiceUnavailable) as error:
            log.warning("favourite shops' listings unavailable", extra={"error": str(error)})
            note = "The newest listings of your shops cannot be shown right now."
    setattr(g, LISTED_SHOPS, [shop.shop_id for shop in shops])
    return render_template("people/favourites.html", shops=shops, hits=hits, note=note)


@blueprint.post("/favourites/shops/<shop_id>")
@login_required
def follow_shop(shop_id: str) -> ResponseReturnValue:
    form = FollowShopForm()
    back = safe_next(form.next.data, url_for("people.favourites"))
    if not form.validate_on_submit():
        abort(400, "The form has expired: reload the page and try again.")
    try:
        shop = identity.client_of(ShopsClient, "shops").shop(shop_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "We know of no such shop.")
        raise
    try:
        people_services.follow_shop(
            identity.db(),
            user_id=current_user.id,
            shop_id=str(shop.get("id") or shop_id),
            shop_name=str(shop.get("name") or "A shop"),
            shop_slug=shop.get("slug"),
        )
    except AccountRuleBroken as broken:
        flash(broken.message, "error")
    else:
        flash(
            f"You follow {shop.get('name') or 'this shop'}: its new listings show in Favourites.",
            "success",
        )
    return redirect(back)


@blueprint.post("/favourites/shops/<shop_id>/remove")
@login_required
def unfollow_shop(shop_id: str) -> ResponseReturnValue:
    form = FollowShopForm()
    back = safe_next(form.next.data, url_for("people.favourites"))
    if not form.validate_on_submit():
        abort(400, "The form has expired: reload the page and try again.")
    people_services.unfollow_shop(identity.db(), user_id=current_user.id, shop_id=shop_id)
    flash("You no longer follow that shop.", "success")
    return redirect(back)


# --- what the partials ask ----------------------------------------------------------------


@blueprint.app_template_global()
def people_requests_waiting() -> int:
    """Follow requests the signed-in person has not answered yet (for the navigation)."""
    if not current_user.is_authenticated:
        return 0
    if "people_waiting" not in g:
        with _reading() as session:
            g.people_waiting = people_services.requests_waiting(session, current_user.id)
    return g.people_waiting


@blueprint.app_template_global()
def is_favourite_shop(shop_id: str | None) -> bool:
    if not shop_id or not current_user.is_authenticated:
        return False
    if "people_favourite_shops" not in g:
        with _reading() as session:
            g.people_favourite_shops = people_services.favourite_shop_ids(session, current_user.id)
    return str(shop_id) in g.people_favourite_shops


@blueprint.app_template_global()
def followed_buyers(shop_id: str | None) -> list[Person]:
    """The people the signed-in shopper follows (accepted only) who bought from `shop_id`."""
    found = _followed_at(shop_id)
    if found is None:
        return []
    bought = set(found.user_ids)
    return [person for person in _followees() if person.id in bought]


def followed_first(shop_id: str, reviews: list[dict]) -> list[dict]:
    """A shop's reviews with those written by the people the shopper follows first.

    The followed people's reviews (their newest few) lead, whichever page of reviews they
    were on; the rest keep their order, without repeating them.
    """
    found = _followed_at(shop_id)
    if found is None or not found.reviews:
        return reviews
    first = {str(review.get("id")) for review in found.reviews}
    return [*found.reviews, *(review for review in reviews if str(review.get("id")) not in first)]


def _followed_at(shop_id: str | None) -> BuyersAtShop | None:
    """What the orders service says of the shopper's followees at one shop, if anything.

    The first call on a page asks the orders service once about every shop the page lists
    (`g.listed_shop_ids`, set by the view) and this one; a later call about a shop outside
    that answer shows nothing rather than asking again. Someone who follows nobody causes
    no call at all, and a service that is down shows nothing.
    """
    if not shop_id or not current_user.is_authenticated:
        return None
    people = _followees()
    if not people:
        return None
    if "people_buyers" not in g:
        listed = getattr(g, LISTED_SHOPS, None) or []
        g.people_buyers = _ask_orders(_shops_to_ask(str(shop_id), listed), people)
    return g.people_buyers.get(str(shop_id))


def _followees() -> list[Person]:
    if "people_followees" not in g:
        with _reading() as session:
            g.people_followees = people_services.followees(session, current_user.id)
    return g.people_followees


def _shops_to_ask(first: str, listed: Iterable[object]) -> list[str]:
    shop_ids = [first]
    for shop_id in listed:
        if shop_id and str(shop_id) not in shop_ids:
            shop_ids.append(str(shop_id))
    return shop_ids[:MAX_SHOPS_PER_QUESTION]


def _ask_orders(shop_ids: list[str], people: list[Person]) -> dict[str, BuyersAtShop]:
    # Only accepted followees are ever sent: the orders service answers about whoever it is
    # asked, so this is where "nothing is shown to people not accepted" holds.
    try:
        return identity.service_client_of(BuyersClient, "orders").buyers_among(
            shop_ids, [person.id for person in people]
        )
    except (ServiceError, ServiceUnavailable) as error:
        log.warning("followed buyers unavailable", extra={"error": str(error)})
        return {}
