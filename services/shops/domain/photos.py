"""A listing's photos: at most ten, in the shop's order, the first one the cover.

Photos are plain dicts (ListingImage's fields) so the list is stored and published as is.
Each change returns a new list and leaves the one given untouched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from services.common.inputs import BadText, check_text
from services.shops.domain.errors import InvalidInput, NotFound

PHOTOS_MAX = 10
ALT_MAX = 300
NO_SUCH_PHOTO = "no such photo on this listing"

Photos = list[dict[str, Any]]


def room_for(current: Sequence[Mapping[str, Any]], adding: int) -> None:
    """Refuse `adding` photos when they would take the listing past PHOTOS_MAX."""
    if adding < 1:
        raise InvalidInput({"photos": "choose at least one photo to upload"})
    left = PHOTOS_MAX - len(current)
    if adding > left:
        raise InvalidInput(
            {
                "photos": f"a listing has at most {PHOTOS_MAX} photos; "
                f"this one has room for {max(left, 0)} more"
            }
        )


def alt_text(text: str) -> str:
    """A photo's description on one line, or InvalidInput saying what is wrong with it."""
    cleaned = " ".join(text.split())
    try:
        check_text(cleaned, multiline=False)
    except BadText as error:
        raise InvalidInput({"alt": f"a photo's description {error}"}) from error
    if len(cleaned) > ALT_MAX:
        raise InvalidInput({"alt": f"a photo's description is at most {ALT_MAX} characters"})
    return cleaned


def add_photos(current: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> Photos:
    """`new` after `current`; a photo already on the listing is not added twice."""
    room_for(current, len(new))
    photos = [dict(photo) for photo in current]
    keys = {photo["key"] for photo in photos}
    for photo in new:
        if photo["key"] not in keys:
            photos.append(dict(photo))
            keys.add(photo["key"])
    return photos


def arrange(
    current: Sequence[Mapping[str, Any]],
    *,
    order: Sequence[str] | None = None,
    cover: str | None = None,
    alt: Mapping[str, str] | None = None,
) -> Photos:
    """The photos put in `order` (every key, once), `cover` moved first, `alt` texts set."""
    photos = {photo["key"]: dict(photo) for photo in current}
    keys = [photo["key"] for photo in current]
    if order is not None:
        if sorted(order) != sorted(keys):
            raise InvalidInput({"order": "name every photo of the listing once, in the new order"})
        keys = list(order)
    if cover is not None:
        if cover not in photos:
            raise NotFound(NO_SUCH_PHOTO)
        keys.remove(cover)
        keys.insert(0, cover)
    for key, text in (alt or {}).items():
        if key not in photos:
            raise NotFound(NO_SUCH_PHOTO)
        photos[key]["alt"] = alt_text(text)
    return [photos[key] for key in keys]


def remove_photo(current: Sequence[Mapping[str, Any]], key: str) -> Photos:
    if all(photo["key"] != key for photo in current):
        raise NotFound(NO_SUCH_PHOTO)
    return [dict(photo) for photo in current if photo["key"] != key]
