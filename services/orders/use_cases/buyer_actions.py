"""What the buyer does with a part of their order: ask to cancel it, or say it arrived.

A cancellation is a request: only the shop side knows whether the shop has accepted
meanwhile, so it decides (shop_order.cancelled or shop_order.cancellation_refused) and the
part follows its answer (use_cases/shop_answers.py). The orders side never calls a part
off on its own while the shop may have moved on.

Both lock the part's row first, so a buyer's request and a shop's answer arriving at the
same moment are applied one after the other.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.contracts import OrderCancellationRequested
from services.common.messaging.tables import add_to_outbox
from services.orders import db
from services.orders.mapping import part_from_row
from services.orders.use_cases.errors import OrderNotFound
from services.orders.use_cases.part_state import add_to_timeline, add_to_timeline_entries, save_part
from services.orders.use_cases.shop_answers import CANCEL_REQUESTED

CANCELLED_BY_BUYER = "The buyer asked to cancel this part of the order."
REASON_MAX = 500


def buyer_part(session: Session, *, user_id: str, order_id: str, part_id: str) -> db.ShopOrder:
    """The part, locked, only for its buyer: anyone else learns nothing of it."""
    row = session.scalars(
        select(db.ShopOrder)
        .join(db.Order)
        .where(
            db.ShopOrder.id == part_id,
            db.ShopOrder.order_id == order_id,
            db.Order.buyer_user_id == user_id,
        )
        .with_for_update(of=db.ShopOrder)
    ).first()
    if row is None:
        raise OrderNotFound("no such part among your orders")
    return row


def cancel_part(
    session: Session,
    *,
    user_id: str,
    order_id: str,
    part_id: str,
    now: datetime,
    reason: str = "",
) -> None:
    """Ask the shop side to call a part off, while the part is not known as accepted.

    The money stays held until the shop answers. Asking again changes nothing, so a retried
    request is safe.
    """
    row = buyer_part(session, user_id=user_id, order_id=order_id, part_id=part_id)
    part = part_from_row(row)
    if not part.request_cancellation():
        return
    reason = reason.strip()[:REASON_MAX]
    row.cancellation_requested_at = now
    row.cancel_reason = reason or None
    add_to_timeline_entries(session, row.id, [CANCEL_REQUESTED], at=now)
    add_to_outbox(
        session,
        db.OutboxMessage,
        OrderCancellationRequested(
            order_id=row.order_id,
            shop_order_id=row.id,
            shop_id=row.shop_id,
            reason=reason or CANCELLED_BY_BUYER,
        ),
    )


def mark_received(
    session: Session, *, user_id: str, order_id: str, part_id: str, now: datetime
) -> None:
    row = buyer_part(session, user_id=user_id, order_id=order_id, part_id=part_id)
    part = part_from_row(row)
    entered = part.mark_received()
    if entered:
        save_part(session, part, row, at=now)
        add_to_timeline(session, row.id, entered, at=now)
