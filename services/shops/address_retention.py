"""Retention of delivery addresses: a shop keeps a buyer's address only while it may need
it. `ADDRESS_RETENTION_DAYS` after a part is shipped, cancelled or declined (the shop never
learns of the delivery itself, so shipping starts the clock), the address is replaced with
its country alone.

Run by the shops worker as a periodic job, as the response window is (deadlines.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.orm import sessionmaker

from services.common.clock import utcnow
from services.common.postal import country_only
from services.common.retention import erase_in_batches
from services.shops.db import ShopOrder
from services.shops.domain import ShopOrderStatus

_orders = ShopOrder.__table__.c
ERASE = (
    update(ShopOrder.__table__)
    .where(_orders.id == bindparam("erase_id"), _orders.address_erased_at.is_(None))
    .values(delivery_address=bindparam("kept"), address_erased_at=bindparam("erased_at"))
)


def erase_expired_addresses(
    session_factory: sessionmaker, *, days: int, now: datetime | None = None
) -> int:
    """Replace every address past its retention period with its country; return how many."""
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    done = or_(
        and_(_orders.status == ShopOrderStatus.SHIPPED, _orders.shipped_at <= cutoff),
        and_(_orders.status == ShopOrderStatus.CANCELLED, _orders.cancelled_at <= cutoff),
        and_(_orders.status == ShopOrderStatus.DECLINED, _orders.decided_at <= cutoff),
    )
    expired = (
        select(_orders.id, _orders.delivery_address)
        .where(_orders.address_erased_at.is_(None), _orders.delivery_address.is_not(None), done)
        .order_by(_orders.id)
    )
    return erase_in_batches(
        session_factory,
        expired=expired,
        erase=ERASE,
        kept=lambda row: country_only(row.delivery_address),
        now=now,
    )
