"""Read side: the cart and the buyer's orders as the JSON shapes of docs/api.md."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.orders import db
from services.orders.domain.errors import MixedCurrencies
from services.orders.domain.money import Money, total_of
from services.orders.mapping import as_utc, cart_item_from_row
from services.orders.use_cases.cart import cart_rows
from services.orders.use_cases.errors import OrderNotFound

Json = dict[str, Any]

# An empty cart has no currency of its own; its zero total is shown in this one.
EMPTY_CART_CURRENCY = "EUR"


def cart_view(session: Session, user_id: str) -> Json:
    lines: list[Json] = []
    shops: dict[str, Json] = {}
    subtotals: dict[str, list[Money]] = {}
    for row in cart_rows(session, user_id):
        item = cart_item_from_row(row)
        lines.append(
            {
                "listing_id": item.listing_id,
                "shop_id": item.shop_id,
                "shop_name": item.shop_name,
                "title": item.title,
                "quantity": item.quantity,
                "unit_price": item.unit_price.as_dict(),
                "line_total": item.line_total.as_dict(),
                "added_at": as_utc(row.added_at).isoformat(),
            }
        )
        shops.setdefault(
            item.shop_id,
            {
                "shop_id": item.shop_id,
                "shop_name": item.shop_name,
                "subtotal": None,
                "shipping": None,
            },
        )
        subtotals.setdefault(item.shop_id, []).append(item.line_total)
    try:
        for shop_id, amounts in subtotals.items():
            currency = amounts[0].currency
            subtotal = total_of(amounts, currency=currency)
            shops[shop_id]["subtotal"] = subtotal.as_dict()
            # Shops' shipping profiles come later; until then shipping is free.
            shops[shop_id]["shipping"] = Money.zero(currency).as_dict()
        all_amounts = [amount for amounts in subtotals.values() for amount in amounts]
        currency = all_amounts[0].currency if all_amounts else EMPTY_CART_CURRENCY
        total: Json | None = total_of(all_amounts, currency=currency).as_dict()
    except MixedCurrencies:
        # Only possible when a shop changed a listing's currency; checkout explains it.
        total = None
    return {"lines": lines, "shops": list(shops.values()), "total": total}


def order_view(order: db.Order) -> Json:
    return {
        "id": order.id,
        "placed_at": as_utc(order.placed_at).isoformat(),
        "total": {"amount": order.total_amount, "currency": order.total_currency},
        "shipping_name": order.shipping_name,
        "shipping_address": order.shipping_address,
        "country": order.country,
        "parts": [part_view(part) for part in order.parts],
    }


def part_view(part: db.ShopOrder) -> Json:
    return {
        "shop_order_id": part.id,
        "shop_id": part.shop_id,
        "shop_name": part.shop_name,
        "status": part.status,
        "lines": part.lines,
        "subtotal": {"amount": part.subtotal_amount, "currency": part.currency},
        "shipping": {"amount": part.shipping_amount, "currency": part.currency},
        "decline_reason": part.decline_reason,
        "note": part.note,
        "signed_by": part.signed_by,
        "carrier": part.carrier,
        "tracking_number": part.tracking_number,
        "timeline": [
            {"status": entry.status, "at": as_utc(entry.at).isoformat()} for entry in part.timeline
        ],
    }


def buyer_order(session: Session, *, user_id: str, order_id: str) -> Json:
    """One order, only for its buyer: anyone else learns nothing, not even that it exists."""
    order = session.get(db.Order, order_id)
    if order is None or order.buyer_user_id != user_id:
        raise OrderNotFound("no such order among yours")
    return order_view(order)


def buyer_orders(session: Session, *, user_id: str) -> Json:
    orders = session.scalars(
        select(db.Order)
        .where(db.Order.buyer_user_id == user_id)
        .order_by(db.Order.placed_at.desc(), db.Order.id.desc())
    )
    return {"orders": [order_view(order) for order in orders]}
