"""Recording an order event that contradicts the shop order's state (see
services/common/conflicts.py): in the consumer's transaction, for an operator to see."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.common.conflicts import record_conflict
from services.common.contracts import Envelope
from services.shops.db import SagaConflict, ShopOrder


def record(
    session: Session,
    envelope: Envelope,
    *,
    shop_order_id: str,
    order: ShopOrder | None,
    detail: str,
) -> None:
    state = "unknown"
    if order is not None:
        state = order.status + (f"/{order.payment_status}" if order.payment_status else "")
    record_conflict(
        session,
        SagaConflict,
        service="shops",
        event_type=envelope.type,
        message_id=str(envelope.id),
        shop_order_id=shop_order_id,
        state=state,
        detail=detail,
    )
