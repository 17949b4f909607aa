"""Search documents: what the index shows of a listing, with what its shop shows of itself.

Built from the listing's latest `listing.upserted` event and the shop's row in the read
model; the shop's part is worked out once per batch, not once per listing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from services.catalog.db import IndexedListing, IndexedShop
from services.catalog.domain import Visibility, binding_key, condition_key
from services.catalog.read_model import Applied
from services.catalog.search.port import SearchDocument, Shipping
from services.common.contracts import ListingUpserted


def documents(
    applied: Iterable[Applied], shops: Mapping[str, IndexedShop | None]
) -> tuple[list[SearchDocument], list[str]]:
    """The documents of the searchable ones among upserts just applied, and the ids of the
    others (sold out, or their shop on vacation)."""
    faces = {shop_id: ShopFace.of(shop) for shop_id, shop in shops.items()}
    shown: list[SearchDocument] = []
    hidden: list[str] = []
    for upsert in applied:
        event = upsert.event
        face = faces.get(event.shop_id) or ShopFace.of(None)
        visibility = Visibility(
            removed=False, quantity=event.quantity, shop_on_vacation=face.on_vacation
        )
        if visibility.searchable:
            shown.append(document_of(event, face))
        else:
            hidden.append(event.listing_id)
    return shown, hidden


@dataclass(frozen=True)
class ShopFace:
    """What every document of one shop shows of it, worked out once per batch."""

    name: str | None = None
    country: str | None = None
    shipping: Shipping | None = None
    rating: float = 0.0
    reviews: int = 0
    on_vacation: bool = False
    town: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    @classmethod
    def of(cls, shop: IndexedShop | None) -> ShopFace:
        if shop is None:
            return cls()
        return cls(
            name=shop.name or None,
            country=shop.country,
            shipping=_shipping(shop),
            rating=shop.rating_average or 0.0,
            reviews=shop.rating_count or 0,
            on_vacation=shop.on_vacation or bool(shop.suspended),
            town=(shop.location or {}).get("town"),
            latitude=(shop.location or {}).get("latitude"),
            longitude=(shop.location or {}).get("longitude"),
        )


def search_document(listing: IndexedListing, shop: IndexedShop | None) -> SearchDocument:
    return document_of(listing.upserted(), ShopFace.of(shop))


def document_of(event: ListingUpserted, shop: ShopFace) -> SearchDocument:
    return SearchDocument(
        listing_id=event.listing_id,
        shop_id=event.shop_id,
        shop_name=shop.name,
        shop_country=shop.country,
        shipping=shop.shipping,
        shop_rating=shop.rating,
        shop_reviews=shop.reviews,
        shop_town=shop.town,
        shop_latitude=shop.latitude,
        shop_longitude=shop.longitude,
        title=event.title,
        author=event.author,
        isbn=event.isbn,
        publisher=event.publisher,
        year=event.year,
        binding=binding_key(event.binding),
        categories=_categories(event.categories),
        photos=tuple(event.photos),
        images=tuple(image.model_dump() for image in event.images or ()),
        # Shops write "Very Good"; search filters and facets use one key per grade.
        condition=condition_key(event.condition) or event.condition,
        condition_notes=event.condition_notes,
        description=event.description,
        price_amount=event.price.amount,
        price_currency=event.price.currency,
        quantity=event.quantity,
        created_at=event.created_at,
        updated_at=event.updated_at,
    )


def _shipping(shop: IndexedShop | None) -> Shipping | None:
    if shop is None or not shop.shipping:
        return None
    return _shipping_of(json.dumps(shop.shipping, sort_keys=True))


@lru_cache(maxsize=256)
def _shipping_of(rates: str) -> Shipping | None:
    # A batch's documents share their shop's rates: read each shop's once.
    return Shipping.of_rates(json.loads(rates))


def _categories(categories: list[str]) -> tuple[str, ...]:
    if not categories:
        return ()
    return tuple(dict.fromkeys(c.strip() for c in categories if c.strip()))
