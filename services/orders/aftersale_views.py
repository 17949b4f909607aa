"""JSON shapes of refunds and after-sale cases, for the buyer, the shop and the operator.

Each case says what the side reading it may do now (`can`), so pages need not know the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.clock import as_utc
from services.orders import db
from services.orders.domain.aftersale import REASON_LABELS, CaseReason, CaseState
from services.orders.use_cases.cases import case_of
from services.orders.use_cases.errors import OrderNotFound
from services.orders.use_cases.refunds import refund_json, refunded_split

Json = dict[str, Any]


def _iso(moment: datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment is not None else None


def case_json(case: db.AfterSaleCase, part: db.ShopOrder, *, side: str, now: datetime) -> Json:
    domain = case_of(case)
    state = CaseState(case.state)
    left = part.captured_amount - part.refunded_amount
    can: dict[str, bool]
    if side == "buyer":
        can = {
            "mark_return_sent": state is CaseState.RETURN_REQUESTED,
            "escalate": domain.can_escalate(now=now),
            "withdraw": state not in (CaseState.CLOSED, CaseState.ESCALATED),
        }
    elif side == "shop":
        can = {
            "ask_return": state is CaseState.OPEN,
            "refund": left > 0
            and state
            in (
                CaseState.OPEN,
                CaseState.RETURN_REQUESTED,
                CaseState.RETURN_SENT,
                CaseState.REFUNDED,
            ),
        }
    else:
        can = {"decide": state is CaseState.ESCALATED}
    return {
        "id": case.id,
        "order_id": case.order_id,
        "shop_order_id": case.shop_order_id,
        "shop_id": case.shop_id,
        "shop_name": part.shop_name,
        "reason": case.reason,
        "reason_label": REASON_LABELS[CaseReason(case.reason)],
        "state": case.state,
        "opened_at": _iso(case.opened_at),
        "answer_by": _iso(case.answer_by),
        "return_address": case.return_address,
        "return_carrier": case.return_carrier,
        "return_tracking": case.return_tracking,
        "escalated_at": _iso(case.escalated_at),
        "decision": case.decision,
        "decision_reason": case.decision_reason,
        "closed_at": _iso(case.closed_at),
        "events": [
            {
                "side": event.side,
                "author_name": event.author_name,
                "kind": event.kind,
                "text": event.text,
                "at": _iso(event.at),
            }
            for event in case.events
        ],
        "can": can,
    }


def money_split(session: Session, part: db.ShopOrder) -> Json:
    """What was paid for the part and what is left to refund, items and shipping apart."""
    items_refunded, shipping_refunded = refunded_split(session, part.id)
    currency = part.currency
    items_paid = part.subtotal_amount + part.extra_amount

    def money(amount: int) -> Json:
        return {"amount": amount, "currency": currency}

    return {
        "captured": money(part.captured_amount),
        "refunded": money(part.refunded_amount),
        "refundable": money(part.captured_amount - part.refunded_amount),
        "items_paid": money(items_paid),
        "shipping_paid": money(part.shipping_amount),
        "items_refundable": money(items_paid - items_refunded),
        "shipping_refundable": money(part.shipping_amount - shipping_refunded),
    }


def part_aftersale(
    session: Session, parts: Iterable[db.ShopOrder], *, side: str, now: datetime
) -> dict[str, Json]:
    """Per part id: its refunds, its cases and its money split."""
    parts = list(parts)
    ids = [part.id for part in parts]
    if not ids:
        return {}
    refunds = session.scalars(
        select(db.PartRefund)
        .where(db.PartRefund.shop_order_id.in_(ids))
        .order_by(db.PartRefund.at, db.PartRefund.id)
    ).all()
    cases = session.scalars(
        select(db.AfterSaleCase)
        .where(db.AfterSaleCase.shop_order_id.in_(ids))
        .order_by(db.AfterSaleCase.opened_at)
    ).all()
    found: dict[str, Json] = {}
    for part in parts:
        part_cases = [case for case in cases if case.shop_order_id == part.id]
        open_case = next((c for c in part_cases if c.state != CaseState.CLOSED.value), None)
        found[part.id] = {
            "refunds": [refund_json(r) for r in refunds if r.shop_order_id == part.id],
            "cases": [case_json(c, part, side=side, now=now) for c in part_cases],
            "money": money_split(session, part),
            "can_report_problem": side == "buyer"
            and part.status in ("shipped", "delivered")
            and open_case is None,
        }
    return found


def buyer_aftersale(session: Session, *, user_id: str, order_id: str, now: datetime) -> Json:
    """Each part's refunds and cases, only for the order's buyer."""
    order = session.get(db.Order, order_id)
    if order is None or order.buyer_user_id != user_id:
        raise OrderNotFound("no such order among yours")
    return {
        "order_id": order.id,
        "parts": part_aftersale(session, order.parts, side="buyer", now=now),
    }
