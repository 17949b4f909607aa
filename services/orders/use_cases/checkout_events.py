"""The events a checkout writes to the outbox with its order.

One `order.placed` per shop part, each with the part's own copy of the delivery address
(version 2: a shop sees its own parts' addresses and nothing else), and one
`order.confirmed` with the whole order, for the buyer's confirmation.
"""

from __future__ import annotations

from services.common import contracts
from services.orders.domain.order import Order, ShopOrderPart


def checkout_events(order: Order) -> list[contracts.Event]:
    buyer = contracts.Buyer(user_id=order.buyer.user_id, name=order.buyer.name)
    summaries = [part_summary(part) for part in order.parts]
    events: list[contracts.Event] = [
        order_placed_event(order, summary, buyer) for summary in summaries
    ]
    events.append(
        contracts.OrderConfirmed(
            order_id=order.id,
            buyer=buyer,
            parts=summaries,
            total=contracts.Money(**order.total.as_dict()),
            placed_at=order.placed_at,
        )
    )
    return events


def part_summary(part: ShopOrderPart) -> contracts.OrderPartSummary:
    return contracts.OrderPartSummary(
        shop_order_id=part.id,
        shop_id=part.shop_id,
        lines=[
            contracts.OrderLine(
                listing_id=line.listing_id,
                title=line.title,
                quantity=line.quantity,
                unit_price=contracts.Money(**line.unit_price.as_dict()),
            )
            for line in part.lines
        ],
        subtotal=contracts.Money(**part.subtotal.as_dict()),
        shipping=contracts.Money(**part.shipping.as_dict()),
        delivery=delivery_of(part),
    )


def delivery_of(part: ShopOrderPart) -> contracts.Delivery | None:
    sent = part.delivery
    if sent is None:
        return None
    return contracts.Delivery(
        service=sent.service,
        service_name=sent.service_name,
        days_min=sent.days_min,
        days_max=sent.days_max,
        collection=sent.collection,
    )


def order_placed_event(
    order: Order, part: contracts.OrderPartSummary, buyer: contracts.Buyer
) -> contracts.OrderPlaced:
    fields = {
        "order_id": order.id,
        "shop_order_id": part.shop_order_id,
        "shop_id": part.shop_id,
        "buyer": buyer,
        "lines": part.lines,
        "subtotal": part.subtotal,
        "shipping": part.shipping,
        "placed_at": order.placed_at,
        "delivery": part.delivery,
    }
    address = order.shipping_address.postal
    if address is None or (part.delivery is not None and part.delivery.collection):
        # A part collected in person goes to no address: its shop never gets the buyer's.
        # An order built without a checked address (none reaches checkout's API so).
        return contracts.OrderPlaced(**fields)
    # Each part carries its own copy: the shops service erases it on its own schedule.
    return contracts.OrderPlacedV2(**fields, delivery_address=address.model_copy())
