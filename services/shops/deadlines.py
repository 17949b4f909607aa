"""The response window: a pending order the shop has not answered in time is declined.

Run by the shops worker as a periodic job. Each overdue order is declined in its own short
transaction, locked so a seller's click at the same moment and this job cannot both win.
While an extra charge waits for the buyer the order has no deadline (respond_by is empty);
once the buyer agrees, a fresh window starts.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.common.clock import as_utc, utcnow
from services.common.messaging.tables import add_to_outbox
from services.shops.db import OutboxMessage, ShopOrder
from services.shops.domain import ShopOrderStatus, no_answer_reason
from services.shops.events import shop_order_declined
from services.shops.stock import release

log = logging.getLogger(__name__)
BATCH = 100


def decline_overdue(session_factory: sessionmaker, *, now: datetime | None = None) -> int:
    """Decline every pending order past its deadline; return how many were declined."""
    now = now or utcnow()
    with session_factory() as session:
        overdue = list(
            session.scalars(
                select(ShopOrder.id)
                .where(ShopOrder.status == ShopOrderStatus.PENDING, ShopOrder.respond_by <= now)
                .order_by(ShopOrder.respond_by)
                .limit(BATCH)
            )
        )
    declined = 0
    for order_id in overdue:
        with session_factory.begin() as session:
            declined += _decline_one(session, order_id, now=now)
    return declined


def _decline_one(session: Session, order_id: str, *, now: datetime) -> int:
    order = session.scalars(
        select(ShopOrder)
        .where(ShopOrder.id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if order is None or not order.is_overdue(now=now):
        return 0  # answered (or cancelled) since we looked
    assert order.respond_by is not None
    window = as_utc(order.respond_by) - order.window_started_at()
    hours = round(window.total_seconds() / 3600)
    if order.decline(reason=no_answer_reason(hours=hours), now=now):
        release(session, order, now=now)
    add_to_outbox(session, OutboxMessage, shop_order_declined(order))
    log.info("order declined for want of an answer", extra={"id": order.id})
    return 1
