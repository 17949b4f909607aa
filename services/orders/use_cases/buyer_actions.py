"""What the buyer does with a part of their order: cancel it, or say it arrived.

Both lock the part's row first, so the buyer's cancel and the shop's accept, arriving at
the same moment, are applied one after the other and never both.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.orders import db
from services.orders.domain.order import PartStatus
from services.orders.mapping import part_from_row
from services.orders.payments.port import PaymentProvider
from services.orders.use_cases import settlement
from services.orders.use_cases.charge_state import withdraw_open
from services.orders.use_cases.errors import OrderNotFound
from services.orders.use_cases.part_state import add_to_timeline, save_part

CANCELLED_BY_BUYER = "The buyer cancelled this part of the order before it was accepted."


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
    provider: PaymentProvider,
    *,
    user_id: str,
    order_id: str,
    part_id: str,
    now: datetime,
    reason: str | None = None,
) -> None:
    """Call a part off until its shop accepts it: its money is released and the shop told,
    with the buyer's reason when they gave one.

    Cancelling a part already cancelled changes nothing, so a retried request is safe.
    """
    row = buyer_part(session, user_id=user_id, order_id=order_id, part_id=part_id)
    part = part_from_row(row)
    if part.status == PartStatus.CANCELLED:
        return
    part.cancel()
    withdraw_open(row, at=now)
    settlement.release_part(session, provider, row, part, at=now)
    save_part(session, part, row, at=now)
    add_to_timeline(session, row.id, [part.status], at=now)
    told = f"{CANCELLED_BY_BUYER} Their reason: {reason}" if reason else CANCELLED_BY_BUYER
    settlement.tell_shop_cancelled(session, row, reason=told)


def mark_received(
    session: Session, *, user_id: str, order_id: str, part_id: str, now: datetime
) -> None:
    row = buyer_part(session, user_id=user_id, order_id=order_id, part_id=part_id)
    part = part_from_row(row)
    entered = part.mark_received()
    if entered:
        save_part(session, part, row, at=now)
        add_to_timeline(session, row.id, entered, at=now)
