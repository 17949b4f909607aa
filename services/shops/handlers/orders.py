"""The shop's view of its orders: read them, accept, decline, ship with a signed note, or
ask the buyer for an extra charge first."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.contracts import (
    Money,
    OrderExtraChargeAnswered,
    ShopOrderAccepted,
    ShopOrderExtraChargeProposed,
    ShopOrderReadyToCollect,
    ShopOrderShipped,
)
from services.common.messaging.tables import add_to_outbox
from services.shops.db import OutboxMessage, Shop, ShopOrder
from services.shops.domain import NotFound
from services.shops.events import shop_order_declined
from services.shops.stock import locked_order, release

NO_SUCH_ORDER = "no such order in this shop"

log = logging.getLogger(__name__)


def shop_orders(session: Session, *, shop: Shop) -> list[ShopOrder]:
    query = (
        select(ShopOrder)
        .where(ShopOrder.shop_id == shop.id)
        .order_by(ShopOrder.placed_at.desc(), ShopOrder.id)
    )
    return list(session.scalars(query))


def shop_order(session: Session, *, shop: Shop, shop_order_id: str) -> ShopOrder:
    order = session.get(ShopOrder, shop_order_id)
    if order is None or order.shop_id != shop.id:
        raise NotFound(NO_SUCH_ORDER)
    return order


def _order_for_update(session: Session, *, shop: Shop, shop_order_id: str) -> ShopOrder:
    # Row lock on PostgreSQL so a cancellation and a seller's click cannot both win;
    # SQLite's BEGIN IMMEDIATE already serializes writers.
    query = (
        select(ShopOrder)
        .where(ShopOrder.id == shop_order_id, ShopOrder.shop_id == shop.id)
        .with_for_update()
    )
    order = session.scalars(query).first()
    if order is None:
        raise NotFound(NO_SUCH_ORDER)
    return order


def accept_order(session: Session, *, shop: Shop, shop_order_id: str) -> ShopOrder:
    order = _order_for_update(session, shop=shop, shop_order_id=shop_order_id)
    order.accept(now=utcnow())
    add_to_outbox(
        session,
        OutboxMessage,
        ShopOrderAccepted(shop_order_id=order.id, order_id=order.order_id, shop_id=shop.id),
    )
    return order


def decline_order(
    session: Session, *, shop: Shop, shop_order_id: str, reason: str | None
) -> ShopOrder:
    order = _order_for_update(session, shop=shop, shop_order_id=shop_order_id)
    now = utcnow()
    if order.decline(reason=reason, now=now):
        release(session, order, now=now)
    add_to_outbox(session, OutboxMessage, shop_order_declined(order))
    return order


def ship_order(
    session: Session,
    *,
    shop: Shop,
    shop_order_id: str,
    note: str | None,
    carrier: str | None = None,
    tracking_number: str | None = None,
) -> ShopOrder:
    order = _order_for_update(session, shop=shop, shop_order_id=shop_order_id)
    order.ship(
        note=note,
        signed_by=shop.signature,
        carrier=carrier,
        tracking_number=tracking_number,
        now=utcnow(),
    )
    add_to_outbox(
        session,
        OutboxMessage,
        ShopOrderShipped(
            shop_order_id=order.id,
            order_id=order.order_id,
            shop_id=shop.id,
            note=order.note or "",
            signed_by=order.signed_by or shop.signature,
            carrier=order.carrier,
            tracking_number=order.tracking_number,
        ),
    )
    return order


def mark_ready_to_collect(session: Session, *, shop: Shop, shop_order_id: str) -> ShopOrder:
    """The order waits at the shop; the buyer's side is told so (shop_order.ready_to_collect)."""
    order = _order_for_update(session, shop=shop, shop_order_id=shop_order_id)
    if order.mark_ready_to_collect(now=utcnow()):
        add_to_outbox(
            session,
            OutboxMessage,
            ShopOrderReadyToCollect(
                shop_order_id=order.id,
                order_id=order.order_id,
                shop_id=shop.id,
                town=shop.town,
                postal_code=shop.postal_code,
            ),
        )
    return order


def mark_collected(
    session: Session, *, shop: Shop, shop_order_id: str, note: str | None
) -> ShopOrder:
    """The buyer took the order at the shop: for the buyer's side it left as a shipped one."""
    order = _order_for_update(session, shop=shop, shop_order_id=shop_order_id)
    order.hand_over(note=note, signed_by=shop.signature, now=utcnow())
    add_to_outbox(
        session,
        OutboxMessage,
        ShopOrderShipped(
            shop_order_id=order.id,
            order_id=order.order_id,
            shop_id=shop.id,
            note=order.note or "",
            signed_by=order.signed_by or shop.signature,
            carrier=order.carrier,
        ),
    )
    return order


def propose_extra_charge(
    session: Session,
    *,
    shop: Shop,
    shop_order_id: str,
    amount: int | None,
    reason: str | None,
    proposed_by: str,
) -> ShopOrder:
    """Ask the buyer for more before accepting; the buyer's side holds the money if they
    agree, and tells us their answer (record_extra_charge_answer)."""
    order = _order_for_update(session, shop=shop, shop_order_id=shop_order_id)
    order.propose_extra_charge(
        proposal_id=str(uuid.uuid4()),
        amount=amount,
        reason=reason,
        proposed_by=proposed_by,
        now=utcnow(),
    )
    assert order.extra_charge_id and order.extra_charge_amount and order.extra_charge_reason
    add_to_outbox(
        session,
        OutboxMessage,
        ShopOrderExtraChargeProposed(
            shop_order_id=order.id,
            order_id=order.order_id,
            shop_id=shop.id,
            proposal_id=order.extra_charge_id,
            amount=Money(amount=order.extra_charge_amount, currency=order.subtotal_currency),
            reason=order.extra_charge_reason,
            proposed_by=proposed_by,
        ),
    )
    return order


def record_extra_charge_answer(session: Session, event: OrderExtraChargeAnswered) -> None:
    """The buyer answered the shop's extra charge. A refusal or expiry also arrives as an
    order.cancelled, which gives the stock back; this records what the buyer said."""
    order = locked_order(session, shop_order_id=event.shop_order_id, shop_id=event.shop_id)
    if order is None:
        log.warning("extra charge answer for an unknown order", extra={"id": event.shop_order_id})
        return
    shop = session.get(Shop, order.shop_id)
    assert shop is not None, "an order's shop is never deleted"
    order.record_extra_charge_answer(
        proposal_id=event.proposal_id,
        answer=event.answer,
        now=utcnow(),
        response_hours=shop.response_hours,
    )
    if event.answer == "accepted" and order.respond_by is not None:
        # A fresh window to answer in: it gets its own reminder.
        order.reminded_at = None
