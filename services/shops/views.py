"""JSON shapes of the shops API (docs/api.md), built from rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.shops.db import Listing, Shop, ShopOrder
from services.shops.events import as_utc


def _time(moment: datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment is not None else None


def money(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def shop_json(shop: Shop) -> dict[str, Any]:
    return {
        "id": shop.id,
        "slug": shop.slug,
        "name": shop.name,
        "signature": shop.signature,
        "about": shop.about,
        "country": shop.country,
        "currency": shop.currency,
        "created_at": _time(shop.created_at),
    }


def shop_summary_json(shop: Shop) -> dict[str, Any]:
    return {
        "id": shop.id,
        "name": shop.name,
        "slug": shop.slug,
        "signature": shop.signature,
        "country": shop.country,
    }


def listing_json(listing: Listing, shop: Shop | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": listing.id,
        "shop_id": listing.shop_id,
        "sku": listing.sku,
        "title": listing.title,
        "author": listing.author,
        "isbn": listing.isbn,
        "condition": listing.condition,
        "description": listing.description,
        "price": money(listing.price_amount, listing.price_currency),
        "quantity": listing.quantity,
        "revision": listing.revision,
        "created_at": _time(listing.created_at),
        "updated_at": _time(listing.updated_at),
    }
    if shop is not None:
        body["shop"] = shop_summary_json(shop)
    return body


def shop_order_json(order: ShopOrder) -> dict[str, Any]:
    return {
        "id": order.id,
        "order_id": order.order_id,
        "shop_id": order.shop_id,
        "buyer": {"user_id": order.buyer_user_id, "name": order.buyer_name},
        "lines": order.lines,
        "subtotal": money(order.subtotal_amount, order.subtotal_currency),
        "shipping": money(order.shipping_amount, order.shipping_currency),
        "status": order.status,
        "placed_at": _time(order.placed_at),
        "decided_at": _time(order.decided_at),
        "decline_reason": order.decline_reason,
        "note": order.note,
        "signed_by": order.signed_by,
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
        "shipped_at": _time(order.shipped_at),
        "cancelled_at": _time(order.cancelled_at),
        "cancel_reason": order.cancel_reason,
    }
