"""Translation between the tables in db.py and the plain objects of the domain."""

from __future__ import annotations

from datetime import UTC, datetime

from services.orders import db
from services.orders.domain.cart import CartItem
from services.orders.domain.money import Money
from services.orders.domain.order import Order, PartStatus, Shipment, ShopOrderPart


def as_utc(moment: datetime) -> datetime:
    # SQLite hands timestamps back without a zone; every timestamp we store is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def cart_item_from_row(row: db.CartLine) -> CartItem:
    return CartItem(
        listing_id=row.listing_id,
        shop_id=row.shop_id,
        shop_name=row.shop_name,
        title=row.title,
        quantity=row.quantity,
        unit_price=Money(row.unit_price_amount, row.unit_price_currency),
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
    )


def copy_part_state(part: ShopOrderPart, row: db.ShopOrder, *, at: datetime) -> None:
    """Write what a status change may alter back onto the part's row."""
    row.status = part.status.value
    row.decline_reason = part.decline_reason
    if part.shipment is not None:
        row.note = part.shipment.note
        row.signed_by = part.shipment.signed_by
        row.carrier = part.shipment.carrier
        row.tracking_number = part.shipment.tracking_number
    row.updated_at = at


def order_to_rows(order: Order) -> db.Order:
    """A new order's row with its parts and their first timeline entry ("placed")."""
    total = order.total
    row = db.Order(
        id=order.id,
        buyer_user_id=order.buyer.user_id,
        buyer_name=order.buyer.name,
        idempotency_key=order.idempotency_key,
        shipping_name=order.shipping_address.name,
        shipping_address=order.shipping_address.address,
        country=order.shipping_address.country,
        total_amount=total.amount,
        total_currency=total.currency,
        placed_at=order.placed_at,
    )
    for position, part in enumerate(order.parts):
        part_row = db.ShopOrder(
            id=part.id,
            position=position,
            shop_id=part.shop_id,
            shop_name=part.shop_name,
            lines=[line_to_json(line) for line in part.lines],
            currency=part.subtotal.currency,
            subtotal_amount=part.subtotal.amount,
            shipping_amount=part.shipping.amount,
            status=part.status.value,
            updated_at=order.placed_at,
        )
        part_row.timeline.append(db.TimelineEntry(status=part.status.value, at=order.placed_at))
        row.parts.append(part_row)
    return row
