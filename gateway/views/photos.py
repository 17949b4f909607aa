"""Listing photos for the browser: served from the photo store, and how pages name them.

The files are content-addressed (services/shops/photos/processing.py), so each is sent with
a year's cache and never changes; a CDN or the proxy in front may cache them as they are.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, url_for

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
    app.register_blueprint(blueprint)


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
