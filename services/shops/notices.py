"""What the shops service tells the notifications service: who belongs to each shop
(`shop.members_changed`) and which orders wait for the shop's answer
(`shop_order.awaiting_answer`, on arrival and once more shortly before the deadline).

Each event is staged in the transaction that makes the change it describes. The reminder
is sent by the worker's deadline job, which also announces, once, the members of every shop
that had them before these announcements existed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from services.common.clock import as_utc, utcnow
from services.common.contracts import ShopMember as MemberOut
from services.common.contracts import ShopMembersChanged, ShopOrderAwaitingAnswer
from services.common.messaging.tables import add_to_outbox
from services.shops.db import OutboxMessage, Shop, ShopMember, ShopOrder
from services.shops.domain import ShopOrderStatus

log = logging.getLogger(__name__)
BATCH = 100


def announce_members(session: Session, shop: Shop) -> None:
    """Stage the shop's whole membership as it is in this transaction, one revision on."""
    # One statement that increments and returns: it locks the shop's row until commit, so
    # two changes of one shop's members at once are announced one after the other, the
    # second with the list that includes the first.
    revision = session.execute(
        update(Shop)
        .where(Shop.id == shop.id)
        .values(members_revision=Shop.members_revision + 1)
        .returning(Shop.members_revision)
    ).scalar_one()
    members = session.scalars(
        select(ShopMember).where(ShopMember.shop_id == shop.id).order_by(ShopMember.user_id)
    )
    add_to_outbox(
        session,
        OutboxMessage,
        ShopMembersChanged(
            shop_id=shop.id,
            slug=shop.slug,
            name=shop.name,
            members=[MemberOut(user_id=m.user_id, role=m.role) for m in members],
            revision=revision,
        ),
    )


def announce_unannounced_members(session_factory: sessionmaker) -> int:
    """Announce the members of every shop never announced (shops older than the event)."""
    with session_factory() as session:
        shop_ids = list(
            session.scalars(select(Shop.id).where(Shop.members_revision == 0).limit(BATCH))
        )
    for shop_id in shop_ids:
        with session_factory.begin() as session:
            shop = session.get(Shop, shop_id, with_for_update=True)
            if shop is not None and shop.members_revision == 0:
                announce_members(session, shop)
    return len(shop_ids)


def awaiting_answer(order: ShopOrder | Any, *, reminder: bool = False) -> ShopOrderAwaitingAnswer:
    """From a ShopOrder or any object with its columns (a part not yet written)."""
    return ShopOrderAwaitingAnswer(
        shop_order_id=order.id,
        order_id=order.order_id,
        shop_id=order.shop_id,
        answer_by=as_utc(order.respond_by),
        reminder=reminder,
    )


def remind_before_deadline(
    session_factory: sessionmaker, *, lead: timedelta, now: datetime | None = None
) -> int:
    """Stage one reminder for each pending order whose deadline is within `lead` (or past
    half its window, when the window is shorter than twice `lead`); return how many."""
    now = now or utcnow()
    with session_factory() as session:
        candidates = list(
            session.execute(
                select(ShopOrder.id, ShopOrder.received_at, ShopOrder.respond_by)
                .where(
                    ShopOrder.status == ShopOrderStatus.PENDING,
                    ShopOrder.respond_by.is_not(None),
                    ShopOrder.respond_by > now,
                    ShopOrder.respond_by <= now + lead,
                    ShopOrder.reminded_at.is_(None),
                )
                .order_by(ShopOrder.respond_by)
                .limit(BATCH)
            )
        )
    sent = 0
    for order_id, received_at, deadline in candidates:
        window = as_utc(deadline) - as_utc(received_at)
        if now < as_utc(deadline) - min(lead, window / 2):
            continue  # a short window: remind at its middle, not as soon as it opens
        with session_factory.begin() as session:
            # Marked in the same statement that checks it, so two jobs remind once.
            claimed = session.execute(
                update(ShopOrder)
                .where(
                    ShopOrder.id == order_id,
                    ShopOrder.status == ShopOrderStatus.PENDING,
                    ShopOrder.reminded_at.is_(None),
                )
                .values(reminded_at=now)
            ).rowcount
            if not claimed:
                continue
            order = session.get(ShopOrder, order_id)
            assert order is not None
            add_to_outbox(session, OutboxMessage, awaiting_answer(order, reminder=True))
            sent += 1
    return sent
