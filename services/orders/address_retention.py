"""Retention of delivery addresses on the buyer's side: an order keeps its address only
while one of its parts may still need it. `ADDRESS_RETENTION_DAYS` after the last of its
parts is delivered, shipped (a buyer may never say it arrived), cancelled, declined or
called off for a failed payment, the address is replaced with its country alone.

Run by the orders worker as a periodic job; the shops service erases its own copies on
the same schedule (services/shops/address_retention.py). The address book is the buyer's
own and stays until the buyer deletes it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import sessionmaker

from services.common.clock import utcnow
from services.common.contracts import PostalAddress
from services.common.retention import erase_in_batches
from services.orders import db
from services.orders.domain.order import PartStatus

# A part in one of these has nothing more to ship.
FINISHED = (
    PartStatus.SHIPPED.value,
    PartStatus.DELIVERED.value,
    PartStatus.CANCELLED.value,
    PartStatus.DECLINED.value,
    PartStatus.PAYMENT_FAILED.value,
)

_orders = db.Order.__table__.c
_parts = db.ShopOrder.__table__.c
_timeline = db.TimelineEntry.__table__.c
ERASE = (
    update(db.Order.__table__)
    .where(_orders.id == bindparam("erase_id"), _orders.address_erased_at.is_(None))
    .values(
        shipping_name="",
        shipping_address="",
        delivery_address=bindparam("kept"),
        address_erased_at=bindparam("erased_at"),
    )
)


def erase_expired_addresses(
    session_factory: sessionmaker, *, days: int, now: datetime | None = None
) -> int:
    """Replace every order's address past its retention period with its country; return
    how many were erased."""
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    unfinished = (
        select(_parts.id)
        .where(_parts.order_id == _orders.id, _parts.status.not_in(FINISHED))
        .exists()
    )
    last_change = (
        select(func.max(_timeline.at))
        .join(db.ShopOrder.__table__, _parts.id == _timeline.shop_order_id)
        .where(_parts.order_id == _orders.id)
        .scalar_subquery()
    )
    expired = (
        select(_orders.id, _orders.country)
        .where(_orders.address_erased_at.is_(None), ~unfinished, last_change <= cutoff)
        .order_by(_orders.id)
    )
    return erase_in_batches(
        session_factory,
        expired=expired,
        erase=ERASE,
        kept=lambda row: PostalAddress(country_code=row.country),
        now=now,
    )
