"""Listing photos for the browser: served from the photo store, and how pages name them.

The files are content-addressed (services/shops/photos/processing.py), so each is sent with
a year's cache and never changes; a CDN or the proxy in front may cache them as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, url_for

from gateway.clients import ServiceError, ServiceUnavailable
from gateway.identity import catalog_client
from services.common.photo_store import (
    CACHE_CONTROL,
    MissingPhoto,
    PhotoSettings,
    PhotoStore,
    check_name,
    photo_store,
)

blueprint = Blueprint("photos", __name__)
CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg"}


def configure_photos(app: Flask, *, data_dir: Any, store: PhotoStore | None = None) -> None:
    app.extensions["photo_store"] = store or photo_store(PhotoSettings(data_dir=data_dir))
    app.jinja_env.globals["photo_url"] = photo_url
    app.jinja_env.globals["listing_covers"] = listing_covers
    app.register_blueprint(blueprint)


def listing_covers(listing_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The cover of each listing named (for lines of a cart or an order), by id; empty when
    the catalog cannot answer: a line without its picture is still the line."""
    ids = sorted({str(listing_id) for listing_id in listing_ids if listing_id})
    try:
        return catalog_client().covers(ids[:100])
    except (ServiceError, ServiceUnavailable):
        return {}


def photo_url(image: dict[str, Any] | None, size: str = "thumb", extension: str = "jpg") -> str:
    if not image or not image.get("key"):
        return ""
    return url_for("photos.photo_file", name=f"{image['key']}-{size}.{extension}")


@blueprint.get("/photos/<name>")
def photo_file(name: str) -> Response:
    try:
        data = current_app.extensions["photo_store"].get(check_name(name))
    except MissingPhoto:
        abort(404, "There is no such photo.")
    response = Response(data, mimetype=CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "image/jpeg"))
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
