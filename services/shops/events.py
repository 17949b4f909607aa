"""Integration events the shops service publishes, built from its rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from services.common import shipping as shipping_rule
from services.common.clock import as_utc
from services.common.contracts import (
    ListingRemoved,
    ListingsUpserted,
    ListingUpserted,
    ShippingRates,
    ShopLocation,
    ShopOrderDeclined,
    ShopUpdated,
)
from services.shops.db import Listing, Shop, ShopOrder
from services.shops.domain import ListingDraft


def listing_payload(listing: Listing | Any) -> dict[str, Any]:
    """A ListingUpserted's fields from a Listing or any object with the listing's columns."""
    return {
        "listing_id": listing.id,
        "shop_id": listing.shop_id,
        "revision": listing.revision,
        "sku": listing.sku,
        "title": listing.title,
        "author": listing.author,
        "isbn": listing.isbn,
        "publisher": listing.publisher,
        "year": listing.year,
        "binding": listing.binding,
        "condition": listing.condition,
        "condition_notes": listing.condition_notes or "",
        "description": listing.description or "",
        "categories": list(listing.categories or []),
        "photos": list(listing.photos or []),
        "price": {"amount": listing.price_amount, "currency": listing.price_currency},
        "quantity": listing.quantity,
        "created_at": as_utc(listing.created_at),
        "updated_at": as_utc(listing.updated_at),
        "images": list(listing.images or []),
    }


def listing_upserted(listing: Listing | Any) -> ListingUpserted:
    return ListingUpserted.model_validate(listing_payload(listing))


def draft_payload(
    draft: ListingDraft,
    *,
    listing_id: str,
    shop_id: str,
    revision: int,
    created_at: datetime,
    updated_at: datetime,
) -> dict[str, Any]:
    """listing_payload of the listing `draft` is written as, without the row in between."""
    return {
        "listing_id": listing_id,
        "shop_id": shop_id,
        "revision": revision,
        "sku": draft.sku,
        "title": draft.title,
        "author": draft.author,
        "isbn": draft.isbn,
        "publisher": draft.publisher,
        "year": draft.year,
        "binding": draft.binding,
        "condition": draft.condition,
        "condition_notes": draft.condition_notes,
        "description": draft.description,
        "categories": list(draft.categories),
        "photos": list(draft.photos),
        "price": {"amount": draft.price_amount, "currency": draft.price_currency},
        "quantity": draft.quantity,
        "created_at": as_utc(created_at),
        "updated_at": as_utc(updated_at),
    }


def listings_upserted(shop_id: str, listings: Sequence[Listing | Any]) -> ListingsUpserted:
    return batch_upserted(shop_id, [listing_payload(listing) for listing in listings])


def batch_upserted(shop_id: str, payloads: list[dict[str, Any]]) -> ListingsUpserted:
    """One ListingsUpserted from ListingUpserted payloads (listing_payload, draft_payload)."""
    # Validated as one batch: much cheaper than a model per listing, checked all the same.
    return ListingsUpserted.model_validate({"shop_id": shop_id, "listings": payloads})


def listing_removed(listing: Listing) -> ListingRemoved:
    # One past the last upsert, so a consumer that saw that upsert knows this comes later.
    return ListingRemoved(
        listing_id=listing.id, shop_id=listing.shop_id, revision=listing.revision + 1
    )


def shipping_rates(shop: Shop | Any) -> ShippingRates:
    """The shop's profile with the two-zone figures beside it (services/common/shipping.py);
    from a Shop or any object with its columns."""
    if shop.shipping_profile:
        profile = shipping_rule.profile_from_dict(shop.shipping_profile)
    else:
        # A shop opened since profiles exist that never changed its shipping.
        profile = shipping_rule.from_legacy(
            currency=shop.currency,
            domestic_first=shop.ship_domestic_first,
            domestic_additional=shop.ship_domestic_additional,
            international_first=shop.ship_international_first,
            international_additional=shop.ship_international_additional,
            free_over=shop.ship_free_over,
        )
    return ShippingRates.model_validate(shipping_rule.rates_of_profile(profile))


def shop_location(shop: Shop | Any) -> ShopLocation | None:
    if not shop.town:
        return None
    return ShopLocation(
        town=shop.town,
        postal_code=shop.postal_code,
        latitude=shop.latitude,
        longitude=shop.longitude,
    )


def shop_updated(shop: Shop) -> ShopUpdated:
    return ShopUpdated(
        shop_id=shop.id,
        revision=shop.revision,
        slug=shop.slug,
        name=shop.name,
        signature=shop.signature,
        about=shop.about or "",
        country=shop.country,
        currency=shop.currency,
        shipping=shipping_rates(shop),
        location=shop_location(shop),
        on_vacation=shop.on_vacation,
        suspended=shop.suspended_at is not None,
        logo=shop.logo,
        banner=shop.banner,
    )


def shop_order_declined(order: ShopOrder | Any) -> ShopOrderDeclined:
    """From a ShopOrder or any object with its columns (a part not yet written)."""
    return ShopOrderDeclined(
        shop_order_id=order.id,
        order_id=order.order_id,
        shop_id=order.shop_id,
        reason=order.decline_reason or "declined by the shop",
    )
