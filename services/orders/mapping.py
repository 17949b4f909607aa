"""Translation between the tables in db.py and the plain objects of the domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from services.orders import db
from services.orders.domain.cart import CartItem
from services.orders.domain.money import Money
from services.orders.domain.order import Order, PartStatus, Shipment, ShopOrderPart
from services.orders.domain.payments import PartLedger
from services.orders.domain.shipping import ShippingRates
from services.orders.payments.port import Authorization


def cart_item_from_row(row: db.CartLine | Row[Any]) -> CartItem:
    """From a CartLine, or from a row of the cart_lines columns (use_cases/cart.py)."""
    return CartItem(
        listing_id=row.listing_id,
        shop_id=row.shop_id,
        shop_name=row.shop_name,
        title=row.title,
        quantity=row.quantity,
        unit_price=Money(row.unit_price_amount, row.unit_price_currency),
        shop_country=row.shop_country,
        shipping_rates=ShippingRates.from_dict(row.shipping_rates) if row.shipping_rates else None,
    )


def line_to_json(item: CartItem) -> dict[str, object]:
    return {
        "listing_id": item.listing_id,
        "title": item.title,
        "quantity": item.quantity,
        "unit_price": item.unit_price.as_dict(),
    }


def part_from_row(row: db.ShopOrder) -> ShopOrderPart:
    shipment = None
    if row.note is not None and row.signed_by is not None:
        shipment = Shipment(row.note, row.signed_by, row.carrier, row.tracking_number)
    return ShopOrderPart(
        id=row.id,
        shop_id=row.shop_id,
        shop_name=row.shop_name,
        lines=tuple(
            CartItem(
                listing_id=line["listing_id"],
                shop_id=row.shop_id,
                shop_name=row.shop_name,
                title=line["title"],
                quantity=line["quantity"],
                unit_price=Money(line["unit_price"]["amount"], line["unit_price"]["currency"]),
            )
            for line in row.lines
        ),
        subtotal=Money(row.subtotal_amount, row.currency),
        shipping=Money(row.shipping_amount, row.currency),
        status=PartStatus(row.status),
        decline_reason=row.decline_reason,
        shipment=shipment,
        ledger=ledger_from_row(row),
        payment_error=row.payment_error,
        commission_bps=row.commission_bps,
        extra=Money(row.extra_amount, row.currency) if row.extra_amount else None,
        cancellation_requested=row.cancellation_requested_at is not None,
    )


def ledger_from_row(row: db.ShopOrder) -> PartLedger:
    return PartLedger(
        authorized=Money(row.authorized_amount, row.currency),
        captured=Money(row.captured_amount, row.currency),
        voided=Money(row.voided_amount, row.currency),
        refunded=Money(row.refunded_amount, row.currency),
    )


def authorization_of(order: db.Order) -> Authorization | None:
    if order.authorization_id is None:
        return None
    return Authorization(
        id=order.authorization_id,
        amount=Money(order.total_amount, order.total_currency),
        card_last4=order.card_last4 or "",
    )


def part_state(part: ShopOrderPart, *, at: datetime) -> dict[str, object]:
    """The columns of the part's row a status change may alter, as the part has them."""
    ledger = part.payments
    state: dict[str, object] = {
        "status": part.status.value,
        "decline_reason": part.decline_reason,
        "payment_error": part.payment_error,
        "authorized_amount": ledger.authorized.amount,
        "captured_amount": ledger.captured.amount,
        "voided_amount": ledger.voided.amount,
        "refunded_amount": ledger.refunded.amount,
        "extra_amount": part.extra.amount if part.extra is not None else 0,
        "updated_at": at,
    }
    if part.shipment is not None:
        state["note"] = part.shipment.note
        state["signed_by"] = part.shipment.signed_by
        state["carrier"] = part.shipment.carrier
        state["tracking_number"] = part.shipment.tracking_number
    return state


def delivery_columns(part: ShopOrderPart) -> dict[str, object]:
    sent = part.delivery
    if sent is None:
        return {"collection": False}
    return {
        "delivery_service": sent.service,
        "delivery_service_name": sent.service_name,
        "delivery_days_min": sent.days_min,
        "delivery_days_max": sent.days_max,
        "collection": sent.collection,
    }


@dataclass(frozen=True)
class NewOrderRows:
    """A new order's rows, one dict per row, for Core inserts (one statement per table)."""

    order: dict[str, object]
    parts: list[dict[str, object]]
    timeline: list[dict[str, object]]


def order_to_rows(
    order: Order, authorization: Authorization | None = None, *, provider: str | None = None
) -> NewOrderRows:
    """A new order's row with its parts and their first timeline entry ("placed")."""
    total = order.total
    parts: list[dict[str, object]] = []
    timeline: list[dict[str, object]] = []
    for position, part in enumerate(order.parts):
        parts.append(
            {
                "id": part.id,
                "order_id": order.id,
                "position": position,
                "shop_id": part.shop_id,
                "shop_name": part.shop_name,
                "lines": [line_to_json(line) for line in part.lines],
                "currency": part.subtotal.currency,
                "subtotal_amount": part.subtotal.amount,
                "shipping_amount": part.shipping.amount,
                "status": part.status.value,
                "updated_at": order.placed_at,
                # The whole part is held by the order's authorization until its shop decides.
                "authorized_amount": part.total.amount if authorization else 0,
                "captured_amount": 0,
                "voided_amount": 0,
                "refunded_amount": 0,
                "commission_bps": part.commission_bps,
                "extra_amount": 0,
                **delivery_columns(part),
            }
        )
        timeline.append(
            {"shop_order_id": part.id, "status": part.status.value, "at": order.placed_at}
        )
    return NewOrderRows(
        order={
            "id": order.id,
            "buyer_user_id": order.buyer.user_id,
            "buyer_name": order.buyer.name,
            "idempotency_key": order.idempotency_key,
            "shipping_name": order.shipping_address.name,
            "shipping_address": order.shipping_address.address,
            "country": order.shipping_address.country,
            "delivery_address": (
                order.shipping_address.postal.model_dump()
                if order.shipping_address.postal is not None
                else None
            ),
            "total_amount": total.amount,
            "total_currency": total.currency,
            "placed_at": order.placed_at,
            "payment_provider": provider if authorization else None,
            "authorization_id": authorization.id if authorization else None,
            "card_last4": authorization.card_last4 if authorization else None,
        },
        parts=parts,
        timeline=timeline,
    )
