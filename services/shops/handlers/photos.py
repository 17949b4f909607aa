"""A listing's photos: written to the store first, then named on the listing in one change.

Files are content-addressed and may be shared by listings (the same photo uploaded twice),
so a file is deleted only once no listing names its key any more, and only after the change
that dropped it is committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.messaging.tables import add_to_outbox
from services.common.photo_store import PhotoStore
from services.shops.db import Listing, OutboxMessage, Shop
from services.shops.domain import NotFound
from services.shops.domain.photos import Photos
from services.shops.events import listing_upserted, shop_updated
from services.shops.handlers.listings import NO_SUCH_LISTING, _own_listing
from services.shops.photos.processing import ProcessedPhoto, file_name, file_names


def current_photos(session: Session, *, shop: Shop, listing_id: str) -> Photos:
    """The listing's photos as they are now, read without a lock."""
    images = session.scalar(
        select(Listing.images).where(Listing.id == listing_id, Listing.shop_id == shop.id)
    )
    if images is None:
        raise NotFound(NO_SUCH_LISTING)
    return list(images)


def change_photos(
    session: Session, *, shop: Shop, listing_id: str, change: Callable[[Photos], Photos]
) -> Listing:
    """Apply `change` to the listing's photos; a real change is a new revision, announced."""
    listing = _own_listing(session, shop, listing_id)
    before = list(listing.images or [])
    after = change(before)
    if after == before:
        return listing
    listing.images = after
    listing.revision += 1
    listing.updated_at = utcnow()
    session.flush()
    add_to_outbox(session, OutboxMessage, listing_upserted(listing))
    return listing


def store_files(store: PhotoStore, photos: Iterable[ProcessedPhoto]) -> None:
    for photo in photos:
        for variant in photo.variants:
            store.put(
                file_name(photo.key, variant.size, variant.extension),
                variant.data,
                content_type=variant.content_type,
            )


def as_image(photo: ProcessedPhoto, *, alt: str = "") -> dict[str, Any]:
    return {"key": photo.key, "alt": alt, "colour": photo.colour, "sizes": photo.sizes()}


def keys_of(listing: Listing | Any) -> list[str]:
    return [photo["key"] for photo in listing.images or []]


def unused(session: Session, keys: Sequence[str]) -> list[str]:
    """The keys among `keys` that no listing, logo or banner names any more."""
    left = []
    for key in dict.fromkeys(keys):
        named = session.scalar(
            select(Listing.id).where(cast(Listing.images, Text).contains(key)).limit(1)
        ) or session.scalar(
            select(Shop.id)
            .where(cast(Shop.logo, Text).contains(key) | cast(Shop.banner, Text).contains(key))
            .limit(1)
        )
        if named is None:
            left.append(key)
    return left


SHOP_IMAGES = ("logo", "banner")


def set_shop_image(
    session: Session, *, shop: Shop, which: str, image: dict[str, Any] | None
) -> list[str]:
    """Set (or, with None, take away) the shop's logo or banner; the key it replaced."""
    assert which in SHOP_IMAGES, which
    before = getattr(shop, which)
    if before == image:
        return []
    setattr(shop, which, image)
    shop.revision += 1
    session.flush()
    add_to_outbox(session, OutboxMessage, shop_updated(shop))
    return [before["key"]] if before else []


def delete_unused_files(session: Session, store: PhotoStore, keys: Sequence[str]) -> list[str]:
    """Delete the files of `keys` no listing names; call after the change is committed."""
    gone = unused(session, keys)
    for key in gone:
        for name in file_names(key):
            store.delete(name)
    return gone
