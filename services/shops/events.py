"""Integration events the shops service publishes, built from its rows."""

from __future__ import annotations

from datetime import UTC, datetime

from services.common.contracts import ListingUpserted, Money, ShopOrderDeclined, ShopUpdated
from services.shops.db import Listing, Shop, ShopOrder


def as_utc(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; everything stored here is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def listing_upserted(listing: Listing) -> ListingUpserted:
    return ListingUpserted(
        listing_id=listing.id,
        shop_id=listing.shop_id,
        revision=listing.revision,
        sku=listing.sku,
        title=listing.title,
        author=listing.author,
        isbn=listing.isbn,
        condition=listing.condition,
        description=listing.description,
        price=Money(amount=listing.price_amount, currency=listing.price_currency),
        quantity=listing.quantity,
        created_at=as_utc(listing.created_at),
        updated_at=as_utc(listing.updated_at),
    )


def shop_updated(shop: Shop) -> ShopUpdated:
    return ShopUpdated(
        shop_id=shop.id,
        slug=shop.slug,
        name=shop.name,
        signature=shop.signature,
        country=shop.country,
    )


def shop_order_declined(order: ShopOrder) -> ShopOrderDeclined:
    return ShopOrderDeclined(
        shop_order_id=order.id,
        order_id=order.order_id,
        shop_id=order.shop_id,
        reason=order.decline_reason or "declined by the shop",
    )
