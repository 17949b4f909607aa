"""Which of the shops service's events become webhook deliveries, and what they carry."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.shops.db import ShopOrder
from services.shops.views import money, shop_order_json
from services.shops.webhooks.store import queue_event


def order_data(order: ShopOrder) -> dict[str, Any]:
    data = shop_order_json(order)
    if order.extra_charge_id is not None:
        data["extra_charge"] = {
            "id": order.extra_charge_id,
            "amount": money(order.extra_charge_amount or 0, order.subtotal_currency),
            "status": order.extra_charge_status,
        }
    return data


def tell_about_order(session: Session, *, event_type: str, shop_order_id: str) -> None:
    """Queue `event_type` for the order's shop, in the transaction that applied the event."""
    session.flush()
    order = session.get(ShopOrder, shop_order_id)
    if order is not None:
        queue_event(session, shop_id=order.shop_id, event_type=event_type, data=order_data(order))
