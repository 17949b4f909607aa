"""Which of the shops service's events become webhook deliveries, and what they carry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from services.shops.db import ShopOrder, WebhookEndpoint
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


# Built once: the worker asks it for every order event it applies.
_ENDPOINT_EVENTS = select(WebhookEndpoint.__table__.c.events).where(
    WebhookEndpoint.__table__.c.shop_id == bindparam("shop_id"),
    WebhookEndpoint.__table__.c.disabled_at.is_(None),
)


def wants_event(session: Session, *, shop_id: str, event_type: str) -> bool:
    """Whether an endpoint of the shop listens for `event_type`. Most shops have none: the
    order's webhook body, and the flush it needs, are then not built at all."""
    return any(
        event_type in events for events in session.scalars(_ENDPOINT_EVENTS, {"shop_id": shop_id})
    )


def tell_about_order(
    session: Session, *, event_type: str, shop_id: str, shop_order_id: str
) -> None:
    """Queue `event_type` for the order's shop, in the transaction that applied the event."""
    if not wants_event(session, shop_id=shop_id, event_type=event_type):
        return
    session.flush()
    # Afresh: a statement of this transaction may have changed the row behind the ORM.
    order = session.get(ShopOrder, shop_order_id, populate_existing=True)
    if order is not None and order.shop_id == shop_id:
        queue_event(session, shop_id=shop_id, event_type=event_type, data=order_data(order))
