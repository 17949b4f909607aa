"""Settling one part's money with the payment provider, and the shop's billing ledger.

Called inside the transaction that changes the part's status, so the part's ledger, the
shop's ledger entries and (for the embedded provider) the provider's own record commit
together, or not at all. Each function moves only the part's own money: a declined part
can release nothing but what it holds. What they change on the part and its row (its
ledger, the capture's id) the caller then writes with part_state.save_part.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from services.common.contracts import (
    Money,
    OrderCancelled,
    OrderPaymentCaptured,
    OrderPaymentFailed,
)
from services.common.messaging.tables import add_to_outbox
from services.orders import db
from services.orders.domain.order import PartStatus, ShopOrderPart
from services.orders.domain.payments import commission_of
from services.orders.mapping import authorization_of
from services.orders.payments.port import Capture, PaymentFailed, PaymentProvider

log = logging.getLogger(__name__)


def capture(
    session: Session,
    provider: PaymentProvider,
    row: db.ShopOrder,
    part: ShopOrderPart,
    *,
    at: datetime,
) -> list[PartStatus]:
    """Take the part's money now that its shop accepted it, and tell the shop.

    The orders side owns the money, and the shop ships only once told: a capture that went
    through sends order.payment_captured; a refused one calls the part off
    (payment_failed), releases what it held, and sends order.payment_failed, so the shop
    does not ship and puts its stock back on the shelf.
    """
    authorization = authorization_of(row.order)
    amount = part.payments.held
    if authorization is None or amount.amount <= 0:
        # Nothing (more) to take: what the part costs is already paid.
        tell_shop_captured(session, row, part)
        return []
    try:
        taken = provider.capture(authorization, amount)
    except PaymentFailed as failure:
        part.fail_payment(failure.message)
        void(provider, row, part)
        add_to_outbox(
            session,
            db.OutboxMessage,
            OrderPaymentFailed(
                order_id=row.order_id,
                shop_order_id=row.id,
                shop_id=row.shop_id,
                reason=failure.message,
            ),
        )
        return [PartStatus.PAYMENT_FAILED]
    part.payments.record_capture(amount)
    # Set on the object only, as the part's own ledger is: save_part writes both in one
    # statement, and the unit of work is left with nothing of this row to flush.
    set_committed_value(row, "capture_id", taken.id)
    fee = commission_of(amount, bps=part.commission_bps)
    _ledger(session, row, [("sale", amount.amount), ("commission", -fee.amount)], at=at)
    tell_shop_captured(session, row, part)
    return []


def tell_shop_captured(session: Session, row: db.ShopOrder, part: ShopOrderPart) -> None:
    """Stage order.payment_captured: the shop may now let the goods go."""
    captured = part.payments.captured
    add_to_outbox(
        session,
        db.OutboxMessage,
        OrderPaymentCaptured(
            order_id=row.order_id,
            shop_order_id=row.id,
            shop_id=row.shop_id,
            amount=Money(amount=captured.amount, currency=captured.currency),
        ),
    )


def void(provider: PaymentProvider, row: db.ShopOrder, part: ShopOrderPart) -> None:
    """Release what the part still holds of the order's authorization."""
    authorization = authorization_of(row.order)
    amount = part.payments.held
    if authorization is None or amount.amount <= 0:
        return
    try:
        provider.void(authorization, amount)
    except PaymentFailed:
        # The hold lapses at the bank on its own; the ledger must not claim it was voided.
        log.exception("void refused", extra={"shop_order_id": row.id})
        return
    part.payments.record_void(amount)


def refund(
    session: Session,
    provider: PaymentProvider,
    row: db.ShopOrder,
    part: ShopOrderPart,
    *,
    at: datetime,
) -> None:
    """Give back what was captured for the part, and the commission taken on it."""
    amount = part.payments.refundable
    if row.capture_id is None or amount.amount <= 0:
        return
    provider.refund(
        Capture(row.capture_id, row.order.authorization_id or "", part.payments.captured), amount
    )
    part.payments.record_refund(amount)
    fee = commission_of(amount, bps=part.commission_bps)
    _ledger(session, row, [("refund", -amount.amount), ("commission_refund", fee.amount)], at=at)


def release_part(
    session: Session,
    provider: PaymentProvider,
    row: db.ShopOrder,
    part: ShopOrderPart,
    *,
    at: datetime,
) -> None:
    """A part that ended without a sale: void what it holds, refund what it took."""
    void(provider, row, part)
    refund(session, provider, row, part, at=at)


# Built once: every accepted part writes its sale. A Core insert on the table, sent now
# within the caller's transaction: nothing reads these rows back in it.
INSERT_LEDGER = insert(db.ShopLedgerEntry.__table__)


def write_ledger(
    session: Session, row: db.ShopOrder, entries: list[tuple[str, int]], *, at: datetime
) -> None:
    """The shop's ledger entries for money moved outside a status change (a refund)."""
    _ledger(session, row, entries, at=at)


def _ledger(
    session: Session, row: db.ShopOrder, entries: list[tuple[str, int]], *, at: datetime
) -> None:
    """Write the shop's ledger entries (kind, signed amount) in order; a zero amount (no
    commission) is not an entry."""
    values = [
        {
            "shop_id": row.shop_id,
            "order_id": row.order_id,
            "shop_order_id": row.id,
            "kind": kind,
            "amount": amount,
            "currency": row.currency,
            "at": at,
        }
        for kind, amount in entries
        if amount
    ]
    if values:
        session.execute(INSERT_LEDGER, values)


def tell_shop_cancelled(session: Session, row: db.ShopOrder, *, reason: str) -> None:
    """Stage order.cancelled for the part's shop, which gives back the stock it holds.

    Only for a part the shop cannot accept meanwhile (its extra charge waits for the
    buyer); a buyer's own cancellation is a request the shop side decides."""
    add_to_outbox(
        session,
        db.OutboxMessage,
        OrderCancelled(
            order_id=row.order_id, shop_order_id=row.id, shop_id=row.shop_id, reason=reason
        ),
    )
