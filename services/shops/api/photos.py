"""A listing's photos: upload several at once, arrange them, remove one; and their files."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import BaseModel, Field

from services.common.inputs import Id, Line
from services.common.openapi import Upload, describe
from services.common.photo_store import CACHE_CONTROL, MissingPhoto, PhotoStore, check_name
from services.common.web import ApiError, parse_json, require_principal
from services.shops.api.common import Body, transaction
from services.shops.api.docs import ERRORS, FILE_ERRORS, ListingOut, ShopOut, spec
from services.shops.domain import photos as rules
from services.shops.handlers import photos as handlers
from services.shops.handlers.shops import member_shop, owner_shop
from services.shops.photos.processing import BYTES_MAX, FORMATS, BadPhoto, process_photo
from services.shops.views import listing_json, shop_json

blueprint = Blueprint("photos", __name__)


class ArrangeIn(Body):
    order: list[Id] | None = Field(default=None, max_length=rules.PHOTOS_MAX)
    cover: Id | None = None
    alt: dict[Id, Line] | None = Field(default=None, max_length=rules.PHOTOS_MAX)


class PhotosForm(BaseModel):
    photos: list[Upload] = Field(max_length=rules.PHOTOS_MAX)
    # One description for each photo, in the same order.
    alt: list[str] | None = None


class ShopImageForm(BaseModel):
    image: Upload


def store() -> PhotoStore:
    return current_app.extensions["photo_store"]


@blueprint.post("/shops/<shop_id>/listings/<listing_id>/photos")
@describe(spec, tag="photos", ok=201, answer=ListingOut, form=PhotosForm, errors=FILE_ERRORS)
def upload_photos(shop_id: str, listing_id: str) -> tuple[Response, int]:
    """multipart/form-data: one or more `photos` files; `alt` texts in the same order."""
    principal = require_principal()
    if (request.content_length or 0) > rules.PHOTOS_MAX * BYTES_MAX:
        raise ApiError(413, "send at most ten photos of 25 MB each at once")
    with transaction(read_only=True) as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        # Refused before any work when there is no room: nothing is read, nothing stored.
        rules.room_for(
            handlers.current_photos(session, shop=shop, listing_id=listing_id),
            len(request.files.getlist("photos")),
        )
        # Form fields pass no body model: each description is checked as the JSON one is.
        alts = [rules.alt_text(text) for text in request.form.getlist("alt")]
    files = request.files.getlist("photos")
    processed = []
    for index, upload in enumerate(files):
        try:
            processed.append(process_photo(upload.read(BYTES_MAX + 1)))
        except BadPhoto as error:
            # One bad file refuses the whole upload, before a single file is stored.
            name = upload.filename or f"photo {index + 1}"
            raise ApiError(422, f"{name}: {error}", fields={"photos": str(error)}) from error
    handlers.store_files(store(), processed)
    images = [
        handlers.as_image(photo, alt=alts[index] if index < len(alts) else "")
        for index, photo in enumerate(processed)
    ]
    try:
        with transaction() as session:
            shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
            listing = handlers.change_photos(
                session,
                shop=shop,
                listing_id=listing_id,
                change=lambda current: rules.add_photos(current, images),
            )
            body = listing_json(listing)
    except ApiError:
        # The listing changed meanwhile (deleted, or filled up): its new files go again.
        with transaction(read_only=True) as session:
            handlers.delete_unused_files(session, store(), [photo.key for photo in processed])
        raise
    return jsonify(body), 201


@blueprint.patch("/shops/<shop_id>/listings/<listing_id>/photos")
@describe(spec, tag="photos", answer=ListingOut, body=ArrangeIn, errors=ERRORS)
def arrange_photos(shop_id: str, listing_id: str) -> Response:
    """Reorder (`order`: every key), choose the cover (`cover`), set `alt` texts by key."""
    principal = require_principal()
    body = parse_json(ArrangeIn)
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        listing = handlers.change_photos(
            session,
            shop=shop,
            listing_id=listing_id,
            change=lambda current: rules.arrange(
                current, order=body.order, cover=body.cover, alt=body.alt
            ),
        )
        return jsonify(listing_json(listing))


@blueprint.delete("/shops/<shop_id>/listings/<listing_id>/photos/<key>")
@describe(spec, tag="photos", answer=ListingOut, errors=ERRORS)
def remove_photo(shop_id: str, listing_id: str, key: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        listing = handlers.change_photos(
            session,
            shop=shop,
            listing_id=listing_id,
            change=lambda current: rules.remove_photo(current, key),
        )
        body = listing_json(listing)
    with transaction(read_only=True) as session:
        handlers.delete_unused_files(session, store(), [key])
    return jsonify(body)


@blueprint.put("/shops/<shop_id>/<any(logo, banner):which>")
@describe(spec, tag="photos", answer=ShopOut, form=ShopImageForm, errors=FILE_ERRORS)
def set_shop_image(shop_id: str, which: str) -> Response:
    """multipart/form-data: the `image` file; the owner's only, as the shop's settings are."""
    principal = require_principal()
    with transaction(read_only=True) as session:
        owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
    upload = request.files.get("image")
    if upload is None:
        raise ApiError(422, f"send the {which} as the `image` file", fields={"image": "missing"})
    try:
        photo = process_photo(upload.read(BYTES_MAX + 1))
    except BadPhoto as error:
        message = f"{upload.filename or which}: {error}"
        raise ApiError(422, message, fields={"image": str(error)}) from error
    handlers.store_files(store(), [photo])
    with transaction() as session:
        shop = owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        replaced = handlers.set_shop_image(
            session, shop=shop, which=which, image=handlers.as_image(photo, alt=shop.name)
        )
        body = shop_json(shop)
    with transaction(read_only=True) as session:
        handlers.delete_unused_files(session, store(), replaced)
    return jsonify(body)


@blueprint.delete("/shops/<shop_id>/<any(logo, banner):which>")
@describe(spec, tag="photos", answer=ShopOut, errors=ERRORS)
def remove_shop_image(shop_id: str, which: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        replaced = handlers.set_shop_image(session, shop=shop, which=which, image=None)
        body = shop_json(shop)
    with transaction(read_only=True) as session:
        handlers.delete_unused_files(session, store(), replaced)
    return jsonify(body)


@blueprint.get("/photos/<name>")
# 400 for a control character in the name, refused before any route (services/common/web.py).
@describe(spec, tag="photos", errors=(400, 404), as_is=True)
def photo_file(name: str) -> Response:
    """A photo's file, for everyone: its name is its content, so it is cached for a year."""
    try:
        data = store().get(check_name(name))
    except MissingPhoto as error:
        raise ApiError(404, "no such photo") from error
    response = Response(data, mimetype=FORMATS.get(name.rsplit(".", 1)[-1], "image/jpeg"))
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
