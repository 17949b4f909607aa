"""JSON shapes of the shops API (docs/api.md), built from rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.common.clock import as_utc
from services.common.shipping import estimate_text
from services.shops.db import Listing, Shop, ShopMember, ShopOrder, UploadJob
from services.shops.events import shipping_rates


def iso_time(moment: datetime | None) -> str | None:
    """A stored moment as the API writes times: ISO 8601 in UTC; None stays None."""
    return as_utc(moment).isoformat() if moment is not None else None


def money(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


# The shipping JSON of the shops last shown, by (id, revision): a shop's every change bumps
# its revision, and a checkout reads the same shop's listings again and again.
_SHIPPING_SHOWN: dict[tuple[str, int], dict[str, Any]] = {}
_SHIPPING_SHOWN_MAX = 1024


def shipping_json(shop: Shop | Any) -> dict[str, Any]:
    key = (shop.id, shop.revision)
    found = _SHIPPING_SHOWN.get(key)
    if found is None:
        if len(_SHIPPING_SHOWN) >= _SHIPPING_SHOWN_MAX:
            _SHIPPING_SHOWN.clear()
        found = _SHIPPING_SHOWN[key] = shipping_rates(shop).model_dump(mode="json")
    return found


def _trade_terms(shop: Shop | Any) -> dict[str, Any]:
    """What a buyer (and the orders service) needs to price and place an order."""
    return {
        "country": shop.country,
        "currency": shop.currency,
        "shipping": shipping_json(shop),
        "on_vacation": shop.on_vacation,
        "suspended": getattr(shop, "suspended_at", None) is not None,
    }


def location_json(shop: Shop | Any) -> dict[str, Any] | None:
    """Where the shop is: its town and coordinates for anyone; its postal code too, which
    a buyer who collects in person learns with the shop's address."""
    if not shop.town:
        return None
    return {
        "town": shop.town,
        "postal_code": shop.postal_code,
        "latitude": shop.latitude,
        "longitude": shop.longitude,
    }


def shop_json(shop: Shop) -> dict[str, Any]:
    return {
        "id": shop.id,
        "slug": shop.slug,
        "name": shop.name,
        "signature": shop.signature,
        "about": shop.about,
        **_trade_terms(shop),
        "location": location_json(shop),
        "policies": {"returns": shop.returns_policy, "shipping_times": shop.shipping_policy},
        "order_handling": {"mode": shop.order_handling, "response_hours": shop.response_hours},
        "revision": shop.revision,
        "logo": shop.logo,
        "banner": shop.banner,
        "created_at": iso_time(shop.created_at),
    }


def shop_summary_json(shop: Shop | Any) -> dict[str, Any]:
    return {
        "id": shop.id,
        "name": shop.name,
        "slug": shop.slug,
        "signature": shop.signature,
        **_trade_terms(shop),
    }


def member_json(member: ShopMember) -> dict[str, Any]:
    return {"shop_id": member.shop_id, "user_id": member.user_id, "role": member.role}


def listing_json(listing: Listing | Any, shop: Shop | Any | None = None) -> dict[str, Any]:
    """From a Listing and a Shop, or any objects with their columns (rows)."""
    body: dict[str, Any] = {
        "id": listing.id,
        "shop_id": listing.shop_id,
        "sku": listing.sku,
        "title": listing.title,
        "author": listing.author,
        "isbn": listing.isbn,
        "publisher": listing.publisher,
        "year": listing.year,
        "binding": listing.binding,
        "condition": listing.condition,
        "condition_notes": listing.condition_notes,
        "description": listing.description,
        "categories": list(listing.categories or []),
        "photos": list(listing.photos or []),
        "images": list(listing.images or []),
        "price": money(listing.price_amount, listing.price_currency),
        "quantity": listing.quantity,
        "revision": listing.revision,
        "created_at": iso_time(listing.created_at),
        "updated_at": iso_time(listing.updated_at),
    }
    if shop is not None:
        body["shop"] = shop_summary_json(shop)
        body["purchasable"] = (
            listing.quantity > 0
            and not shop.on_vacation
            and getattr(shop, "suspended_at", None) is None
        )
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
        "placed_at": iso_time(order.placed_at),
        "respond_by": iso_time(order.respond_by),
        "decided_at": iso_time(order.decided_at),
        "decline_reason": order.decline_reason,
        "note": order.note,
        "signed_by": order.signed_by,
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
        "shipped_at": iso_time(order.shipped_at),
        "cancelled_at": iso_time(order.cancelled_at),
        "cancel_reason": order.cancel_reason,
        # This part's copy of the buyer's address (contracts.PostalAddress), null for parts
        # placed before addresses travelled; only the country once address_erased.
        "delivery_address": order.delivery_address,
        "address_erased": order.address_erased_at is not None,
        # The service the buyer chose and when they expect it (null service for parts placed
        # before buyers chose), or collection in person (no address ever comes for it).
        "delivery": delivery_json(order),
    }


def delivery_json(order: ShopOrder | Any) -> dict[str, Any]:
    return {
        "service": order.delivery_service,
        "service_name": order.delivery_service_name,
        "days_min": order.delivery_days_min,
        "days_max": order.delivery_days_max,
        "estimate": estimate_text(order.delivery_days_min, order.delivery_days_max),
        "collection": bool(order.collection),
        "ready_to_collect_at": iso_time(order.ready_to_collect_at),
        "collected": bool(order.collection) and order.status == "shipped",
    }


def upload_json(job: UploadJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "shop_id": job.shop_id,
        "filename": job.filename,
        "status": job.status,
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "rows_created": job.rows_created,
        "rows_updated": job.rows_updated,
        "rows_unchanged": job.rows_unchanged,
        "rows_rejected": job.rows_rejected,
        "errors": job.errors,
        "unknown_columns": job.unknown_columns,
        "failure": job.failure,
        "replace_all": job.replace_all,
        "to_withdraw": job.to_withdraw,
        "awaiting_confirmation": bool(
            job.replace_all and job.confirmed_at is None and job.status == "queued"
        ),
        "rows_withdrawn": job.rows_withdrawn,
        "created_at": iso_time(job.created_at),
        "started_at": iso_time(job.started_at),
        "finished_at": iso_time(job.finished_at),
    }
