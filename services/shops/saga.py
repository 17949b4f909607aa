"""The shop side of the order saga: what the orders side tells us about a part's money, and
the buyer's requests to cancel.

The orders side owns the money: it captures when it applies our acceptance, and tells us
(order.payment_captured: the goods may go; order.payment_failed: the order is cancelled
and must not ship). The shop side owns whether a buyer may still cancel: granted while the
shop has not accepted, refused once it has, and the orders side follows our answer.

Each handler runs in the consumer's transaction, with the message's inbox row. A fact that
contradicts the order's state is recorded as a conflict (services/common/conflicts.py), not
raised: retrying cannot change it, and an operator must see it.
"""

from __future__ import annotations

import logging

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.contracts import (
    Envelope,
    OrderCancellationRequested,
    OrderPaymentCaptured,
    OrderPaymentFailed,
    ShopOrderCancellationRefused,
    ShopOrderCancelled,
)
from services.common.messaging.tables import add_to_outbox
from services.shops import conflicts
from services.shops.db import OutboxMessage, ShopOrder
from services.shops.domain import CancellationAnswer, IllegalTransition
from services.shops.domain.orders import PaymentStatus, ShopOrderStatus
from services.shops.stock import locked_order, release

log = logging.getLogger(__name__)

PAYMENT_FAILED_REASON = "The buyer's payment failed: {reason}"


def on_payment_captured(session: Session, event: OrderPaymentCaptured, envelope: Envelope) -> bool:
    """Record the capture; True when it is news (the shop's webhooks then hear of it)."""
    now = utcnow()
    ids = {"part": event.shop_order_id, "shop": event.shop_id, "order": event.order_id}
    if session.execute(_CAPTURE_EXPECTED, {**ids, "captured_at": now}).rowcount == 1:  # type: ignore[attr-defined]
        return True
    order = _order(session, event, envelope)
    if order is None:
        return False
    try:
        return order.record_payment_captured(now=now)
    except IllegalTransition as error:
        conflict(session, order, envelope, str(error))
        return False


# Every part the orders side captures comes back here: the expected case, an accepted part
# whose payment is not yet known, is one conditional UPDATE (the transition that
# ShopOrder.record_payment_captured allows from that state) instead of a locked read and an
# ORM flush. Anything else (a repeat, a contradiction, an unknown part) takes the locked
# path, where the domain decides.
_orders = ShopOrder.__table__.c
_CAPTURE_EXPECTED = (
    update(ShopOrder.__table__)
    .where(
        _orders.id == bindparam("part"),
        _orders.shop_id == bindparam("shop"),
        _orders.order_id == bindparam("order"),
        _orders.status == ShopOrderStatus.ACCEPTED,
        _orders.payment_status.is_(None),
    )
    .values(payment_status=PaymentStatus.CAPTURED, payment_confirmed_at=bindparam("captured_at"))
)


def on_payment_failed(session: Session, event: OrderPaymentFailed, envelope: Envelope) -> None:
    order = _order(session, event, envelope)
    if order is None:
        return
    now = utcnow()
    try:
        stock_back = order.record_payment_failed(
            reason=PAYMENT_FAILED_REASON.format(reason=event.reason), now=now
        )
    except IllegalTransition as error:
        conflict(session, order, envelope, f"{error}; reason given: {event.reason}")
        return
    if stock_back:
        release(session, order, now=now)


def on_cancellation_requested(
    session: Session, event: OrderCancellationRequested, envelope: Envelope
) -> None:
    order = _order(session, event, envelope)
    if order is None:
        return
    now = utcnow()
    answer, stock_back = order.answer_cancellation(reason=event.reason, now=now)
    if stock_back:
        release(session, order, now=now)
    ids = {"shop_order_id": order.id, "order_id": order.order_id, "shop_id": order.shop_id}
    if answer == CancellationAnswer.GRANTED:
        add_to_outbox(
            session, OutboxMessage, ShopOrderCancelled(**ids, reason=order.cancel_reason or "")
        )
    elif answer == CancellationAnswer.REFUSED:
        add_to_outbox(
            session, OutboxMessage, ShopOrderCancellationRefused(**ids, status=order.status)
        )
    else:
        log.info("cancellation moot: the order was declined", extra={"id": order.id})


def conflict(session: Session, order: ShopOrder, envelope: Envelope, detail: str) -> None:
    conflicts.record(session, envelope, shop_order_id=order.id, order=order, detail=detail)


def _order(
    session: Session,
    event: OrderPaymentCaptured | OrderPaymentFailed | OrderCancellationRequested,
    envelope: Envelope,
) -> ShopOrder | None:
    order = locked_order(session, shop_order_id=event.shop_order_id, shop_id=event.shop_id)
    if order is None or order.order_id != event.order_id:
        # Nothing of ours to change, and retrying cannot help; but the orders side waits for
        # an answer about this part, so an operator must hear of it.
        conflicts.record(
            session,
            envelope,
            shop_order_id=event.shop_order_id,
            order=None,
            detail=f"no order part {event.shop_order_id} of order {event.order_id} in this shop",
        )
        return None
    return order
