"""Friends and favourite shops.

/people: follow someone by their e-mail address, answer requests, unfollow, remove a
follower, and whether to take requests at all. /favourites: the shops one follows and their
newest listings. "Bought from by N people you follow" on search cards, listing pages and
shop pages is asked by those pages' views (gateway/pages/followed.py, which also puts the
reviews of the people one follows first on a shop's page), one question per page at most.
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from gateway import identity, people_services
from gateway.accounts import AccountRuleBroken
from gateway.clients import ServiceError, ShopsClient
from gateway.forms import ActionForm
from gateway.forms.people import FollowForm, FollowShopForm, RequestsSettingForm
from gateway.pages.followed import followed_ask, reading
from gateway.pages.gather import Ask
from gateway.pages.helpers import safe_next
from gateway.pages.layout import gather_page, page_context, render_page
from gateway.people_services import FollowNotFound

blueprint = Blueprint("people", __name__)

# Newest listings shown on /favourites, from all the followed shops together.
FAVOURITES_LISTINGS = 40


# --- /people ------------------------------------------------------------------------------


@blueprint.get("/people")
@login_required
def people() -> ResponseReturnValue:
    return _people_page(FollowForm(formdata=None))


def _people_page(form: FollowForm, *, status: int = 200) -> ResponseReturnValue:
    found = people_services.overview(identity.db(), current_user.id)
    setting = RequestsSettingForm(formdata=None, accepts_requests=found.accepts_requests)
    return render_page("people/people.html", people=found, form=form, setting=setting), status


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
    with reading() as session:
        shops = people_services.favourite_shops(session, current_user.id)
    if not shops:
        return render_page("people/favourites.html", shops=shops, hits=[], note=None)
    catalog = identity.catalog_client()
    shop_ids = [shop.shop_id for shop in shops]
    # Their newest listings and who of the followed bought there, asked together.
    found = gather_page(
        {
            "results": Ask(
                partial(
                    catalog.search,
                    "",
                    page=1,
                    per_page=FAVOURITES_LISTINGS,
                    filters={"shop": shop_ids, "in_stock": "1", "sort": "newest"},
                ),
                "",  # said beside the list (`note`)
            ),
            **followed_ask(shop_ids),
        }
    )
    results = found["results"]
    context = {
        "shops": shops,
        "hits": list((results or {}).get("hits", [])),
        "note": None
        if results is not None
        else "The newest listings of your shops cannot be shown right now.",
    }
    return render_template("people/favourites.html", **page_context(found, context))


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
