"""Refunding a captured part, in full or in part: the shop's own, on a case, or decided by
the platform's operator out of the shop's proceeds.

One transaction does it all: the part's row is locked first, the idempotency key looked up,
the provider asked to give the money back (with a key of its own, so a provider reached
over the network refunds once too), the part's ledger and the shop's ledger written. Two
requests at once for the same part are applied one after the other; the same request twice
(a retry, a redelivered message) finds its first refund and moves nothing more.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.clock import as_utc
from services.orders import db
from services.orders.domain.aftersale import (
    RefundAsked,
    RefundRefused,
    check_refund,
    commission_back,
)
from services.orders.domain.money import Money
from services.orders.mapping import part_from_row
from services.orders.payments.port import Capture, PaymentProvider
from services.orders.use_cases import settlement
from services.orders.use_cases.part_state import save_part

REASON_MAX = 1000


@dataclass(frozen=True)
class RefundBy:
    """Who decides the refund: `side` is shop or platform."""

    side: str
    name: str


@dataclass(frozen=True)
class RefundResult:
    refund: db.PartRefund
    # False when the key had refunded already: nothing moved this time.
    created: bool


def lock_part(session: Session, part_id: str) -> db.ShopOrder | None:
    return session.scalars(
        select(db.ShopOrder).where(db.ShopOrder.id == part_id).with_for_update()
    ).first()


def refunded_split(session: Session, part_id: str) -> tuple[int, int]:
    """What the part's refunds so far gave back for the items and for the shipping."""
    items, shipping = session.execute(
        select(
            func.coalesce(func.sum(db.PartRefund.items_amount), 0),
            func.coalesce(func.sum(db.PartRefund.shipping_amount), 0),
        ).where(db.PartRefund.shop_order_id == part_id)
    ).one()
    # PostgreSQL sums whole numbers as numeric.
    return int(items), int(shipping)


def refund_part(
    session: Session,
    provider: PaymentProvider,
    row: db.ShopOrder,
    *,
    asked: RefundAsked,
    idempotency_key: str,
    by: RefundBy,
    reason: str,
    now: datetime,
    case_id: str | None = None,
) -> RefundResult:
    """Give back `asked` of the part's captured money. `row` must be locked by the caller
    (lock_part, or a finder that locks)."""
    earlier = session.scalars(
        select(db.PartRefund).where(
            db.PartRefund.shop_order_id == row.id,
            db.PartRefund.idempotency_key == idempotency_key,
        )
    ).first()
    if earlier is not None:
        return RefundResult(earlier, created=False)
    if row.capture_id is None or row.captured_amount <= 0:
        raise RefundRefused(
            "nothing was paid for this part yet: a refund is possible once the payment "
            "was taken (before that, declining the order releases it)"
        )
    part = part_from_row(row)
    ledger = part.payments
    items_refunded, shipping_refunded = refunded_split(session, row.id)
    currency = row.currency
    check_refund(
        asked,
        items_paid=Money(row.subtotal_amount + row.extra_amount, currency),
        shipping_paid=Money(row.shipping_amount, currency),
        items_refunded=Money(items_refunded, currency),
        shipping_refunded=Money(shipping_refunded, currency),
        refundable=ledger.refundable,
    )
    amount = asked.total
    before = ledger.refunded
    provider.refund(
        Capture(row.capture_id, row.order.authorization_id or "", ledger.captured),
        amount,
        idempotency_key=f"refund:{row.id}:{idempotency_key}",
    )
    ledger.record_refund(amount)
    fee_back = commission_back(
        refunded_before=before, refunded_after=ledger.refunded, bps=row.commission_bps
    )
    settlement.write_ledger(
        session, row, [("refund", -amount.amount), ("commission_refund", fee_back.amount)], at=now
    )
    save_part(session, part, row, at=now)
    refund = db.PartRefund(
        id=str(uuid.uuid4()),
        shop_order_id=row.id,
        order_id=row.order_id,
        shop_id=row.shop_id,
        idempotency_key=idempotency_key,
        items_amount=asked.items.amount,
        shipping_amount=asked.shipping.amount,
        currency=currency,
        commission_amount=fee_back.amount,
        decided_by=by.side,
        decided_by_name=by.name[:200],
        reason=reason.strip()[:REASON_MAX],
        case_id=case_id,
        at=now,
    )
    session.add(refund)
    session.flush()
    return RefundResult(refund, created=True)


def whole_refundable(session: Session, row: db.ShopOrder) -> RefundAsked:
    """Everything still refundable, split as paid: the items first, then the shipping."""
    items_refunded, shipping_refunded = refunded_split(session, row.id)
    currency = row.currency
    left = row.captured_amount - row.refunded_amount
    items = min(row.subtotal_amount + row.extra_amount - items_refunded, left)
    shipping = min(row.shipping_amount - shipping_refunded, left - items)
    return RefundAsked(Money(max(items, 0), currency), Money(max(shipping, 0), currency))


def refund_json(refund: db.PartRefund) -> dict[str, object]:
    return {
        "id": refund.id,
        "shop_order_id": refund.shop_order_id,
        "items": {"amount": refund.items_amount, "currency": refund.currency},
        "shipping": {"amount": refund.shipping_amount, "currency": refund.currency},
        "total": {
            "amount": refund.items_amount + refund.shipping_amount,
            "currency": refund.currency,
        },
        "commission_returned": {"amount": refund.commission_amount, "currency": refund.currency},
        "decided_by": refund.decided_by,
        "decided_by_name": refund.decided_by_name,
        "reason": refund.reason,
        "case_id": refund.case_id,
        "at": as_utc(refund.at).isoformat(),
    }
