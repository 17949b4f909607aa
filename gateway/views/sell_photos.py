"""A listing's photos in the seller portal: add several at once, order, cover, describe, remove.

Everything works with plain forms (a file input that takes several files, one button per
move); static/photos.js adds dropping files on the page and dragging photos into order.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from gateway import identity
from gateway.clients import ServiceError
from gateway.forms import ActionForm
from gateway.pages.layout import render_page
from gateway.pages.own_listing import own_listing
from gateway.pages.sell_common import require_shop

blueprint = Blueprint("photos", __name__)
PHOTOS_MAX = 10


def _back(listing_id: str) -> ResponseReturnValue:
    return redirect(url_for(".photos", listing_id=listing_id))


@blueprint.get("/listings/<listing_id>/photos")
def photos(listing_id: str) -> ResponseReturnValue:
    shop = require_shop()
    listing = own_listing(shop, listing_id)
    return render_page(
        "sell/photos.html", shop=shop, listing=listing, form=ActionForm(), most=PHOTOS_MAX
    )


@blueprint.post("/listings/<listing_id>/photos")
def add_photos(listing_id: str) -> ResponseReturnValue:
    shop = require_shop()
    form = ActionForm()
    if not form.validate_on_submit():
        flash("The form expired; please try again.", "error")
        return _back(listing_id)
    files = [sent for sent in request.files.getlist("photos") if sent and sent.filename]
    if not files:
        flash("Choose one or more photos to add.", "error")
        return _back(listing_id)
    try:
        listing = identity.shops_client().upload_photos(
            shop["id"],
            listing_id,
            [(sent.filename or "photo", sent.stream, sent.mimetype) for sent in files],
        )
    except ServiceError as error:
        flash(error.message, "error")
    else:
        count = len(files)
        flash(f"Added {count} photo{'s' if count != 1 else ''} to “{listing['title']}”.", "success")
    return _back(listing_id)


@blueprint.post("/listings/<listing_id>/photos/arrange")
def arrange_photos(listing_id: str) -> ResponseReturnValue:
    """One button per change: `cover`, `up`/`down` (a key), or `order` (keys, from the
    script's drag and drop), and the `alt-<key>` texts saved with any of them."""
    shop = require_shop()
    form = ActionForm()
    if not form.validate_on_submit():
        flash("The form expired; please try again.", "error")
        return _back(listing_id)
    listing = own_listing(shop, listing_id)
    keys = [image["key"] for image in listing.get("images") or []]
    arrangement: dict = {}
    moved = request.form.get("up") or request.form.get("down")
    if moved in keys:
        at = keys.index(moved)
        to = at - 1 if request.form.get("up") else at + 1
        if 0 <= to < len(keys):
            keys[at], keys[to] = keys[to], keys[at]
            arrangement["order"] = keys
    elif request.form.get("order"):
        arrangement["order"] = request.form["order"].split(",")
    if request.form.get("cover"):
        arrangement["cover"] = request.form["cover"]
    alt = {key: request.form[f"alt-{key}"] for key in keys if f"alt-{key}" in request.form}
    if alt:
        arrangement["alt"] = alt
    try:
        identity.shops_client().arrange_photos(shop["id"], listing_id, **arrangement)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash("Saved the photos.", "success")
    return _back(listing_id)


@blueprint.post("/listings/<listing_id>/photos/<key>/remove")
def remove_photo(listing_id: str, key: str) -> ResponseReturnValue:
    shop = require_shop()
    form = ActionForm()
    if form.validate_on_submit():
        try:
            identity.shops_client().remove_photo(shop["id"], listing_id, key)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash("Removed the photo.", "success")
    return _back(listing_id)


SHOP_IMAGES = {"logo": "logo", "banner": "banner"}


@blueprint.get("/shop-images")
def shop_images() -> ResponseReturnValue:
    shop = require_shop()
    # The portal's shop is a summary; the images are on the shop itself.
    return render_page(
        "sell/shop_images.html",
        shop=shop,
        stored=identity.shops_client().shop(shop["id"]),
        form=ActionForm(),
    )


@blueprint.post("/shop-images/<any(logo, banner):which>")
def set_shop_image(which: str) -> ResponseReturnValue:
    shop = require_shop()
    form = ActionForm()
    sent = request.files.get("image")
    if not form.validate_on_submit():
        flash("The form expired; please try again.", "error")
    elif request.form.get("remove"):
        try:
            identity.shops_client().remove_shop_image(shop["id"], which)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(f"Removed the {which}.", "success")
    elif not sent or not sent.filename:
        flash(f"Choose a picture for the {which}.", "error")
    else:
        try:
            identity.shops_client().set_shop_image(
                shop["id"], which, (sent.filename, sent.stream, sent.mimetype)
            )
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(f"Saved the {which}.", "success")
    return redirect(url_for(".shop_images"))
