"""A buyer's problem with a shipped part, from report to refund or the platform's decision.

The report opens in the part's conversation with the shop (so the shop hears of it the way
it hears of every message) and as a case whose steps both sides and the operator read.
Each function locks the part's row first, so a buyer's step, a shop's answer and the
operator's decision on one part are applied one after the other.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.common.auth import Operator
from services.common.clock import as_utc
from services.common.operator_audit import record_action
from services.orders import db
from services.orders.domain.aftersale import (
    REASON_LABELS,
    Case,
    CaseReason,
    CaseRefused,
    CaseState,
    RefundAsked,
)
from services.orders.domain.conversation import Side
from services.orders.domain.errors import IllegalTransition
from services.orders.domain.money import Money
from services.orders.payments.port import PaymentProvider
from services.orders.use_cases import refunds
from services.orders.use_cases.buyer_actions import buyer_part
from services.orders.use_cases.conversations import Writer, write_about_part
from services.orders.use_cases.errors import OrderNotFound

TEXT_MAX = 2000


class CaseNotFound(OrderNotFound):
    pass


@dataclass(frozen=True)
class Windows:
    """How long a buyer may report after shipping, and a shop has to answer."""

    report: timedelta
    answer: timedelta


def case_of(row: db.AfterSaleCase) -> Case:
    return Case(
        state=CaseState(row.state),
        opened_at=as_utc(row.opened_at),
        answer_by=as_utc(row.answer_by),
        shop_answered=row.shop_answered,
    )


def _save(row: db.AfterSaleCase, case: Case, *, now: datetime) -> None:
    row.state = case.state.value
    row.answer_by = case.answer_by
    row.shop_answered = case.shop_answered
    row.updated_at = now
    if case.state is CaseState.CLOSED and row.closed_at is None:
        row.closed_at = now


def _event(
    session: Session,
    row: db.AfterSaleCase,
    *,
    side: str,
    name: str,
    kind: str,
    text: str,
    now: datetime,
) -> None:
    session.add(
        db.CaseEvent(
            case_id=row.id, side=side, author_name=name[:200], kind=kind, text=text, at=now
        )
    )


def _say(
    session: Session, case_row: db.AfterSaleCase, writer: Writer | None, text: str, now: datetime
) -> None:
    """Write the step in the part's conversation too, so the other side hears of it the
    way it hears of every message (by mail); None for the platform, which is no side."""
    if writer is None:
        return
    write_about_part(
        session,
        writer=writer,
        order_id=case_row.order_id,
        shop_order_id=case_row.shop_order_id,
        text=text,
        now=now,
    )


def _words(text: str, *, what: str, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise CaseRefused(f"write {what}")
    if len(text) > TEXT_MAX:
        raise CaseRefused(f"keep {what} under {TEXT_MAX} characters")
    return text


def shipped_at(row: db.ShopOrder) -> datetime | None:
    for entry in row.timeline:
        if entry.status == "shipped":
            return as_utc(entry.at)
    return None


def open_case_of(session: Session, part_id: str) -> db.AfterSaleCase | None:
    return session.scalars(
        select(db.AfterSaleCase).where(
            db.AfterSaleCase.shop_order_id == part_id,
            db.AfterSaleCase.state != CaseState.CLOSED.value,
        )
    ).first()


# --- the buyer -------------------------------------------------------------------------


def report(
    session: Session,
    *,
    user_id: str,
    name: str,
    order_id: str,
    part_id: str,
    reason: str,
    message: str,
    now: datetime,
    windows: Windows,
) -> db.AfterSaleCase:
    row = buyer_part(session, user_id=user_id, order_id=order_id, part_id=part_id)
    try:
        why = CaseReason(reason)
    except ValueError as error:
        raise CaseRefused(
            "choose what went wrong: not arrived, damaged, not as described or other"
        ) from error
    words = _words(message, what="what went wrong, for the shop to read")
    case = Case.open(
        part_status=row.status,
        shipped_at=shipped_at(row),
        now=now,
        report_window=windows.report,
        answer_window=windows.answer,
        already_open=open_case_of(session, row.id) is not None,
    )
    case_row = db.AfterSaleCase(
        id=str(uuid.uuid4()),
        shop_order_id=row.id,
        order_id=row.order_id,
        shop_id=row.shop_id,
        buyer_user_id=user_id,
        reason=why.value,
        state=case.state.value,
        opened_at=now,
        answer_by=case.answer_by,
        shop_answered=False,
        updated_at=now,
    )
    session.add(case_row)
    session.flush()
    _event(session, case_row, side="buyer", name=name, kind="reported", text=words, now=now)
    write_about_part(
        session,
        writer=Writer(Side.SHOPPER, user_id, name),
        order_id=order_id,
        shop_order_id=row.id,
        text=f"Problem reported ({REASON_LABELS[why]}): {words}",
        now=now,
    )
    return case_row


def buyer_case(
    session: Session, *, user_id: str, order_id: str, part_id: str, case_id: str
) -> tuple[db.AfterSaleCase, db.ShopOrder]:
    row = buyer_part(session, user_id=user_id, order_id=order_id, part_id=part_id)
    case_row = session.get(db.AfterSaleCase, case_id)
    if case_row is None or case_row.shop_order_id != row.id:
        raise CaseNotFound("no such case among yours")
    return case_row, row


def mark_return_sent(
    session: Session,
    case_row: db.AfterSaleCase,
    *,
    name: str,
    carrier: str,
    tracking: str,
    now: datetime,
    windows: Windows,
    writer: Writer | None = None,
) -> None:
    case = case_of(case_row)
    case.mark_return_sent(now=now, answer_window=windows.answer)
    case_row.return_carrier = carrier.strip()[:100] or None
    case_row.return_tracking = tracking.strip()[:200] or None
    _save(case_row, case, now=now)
    sent = ", ".join(part for part in (carrier.strip(), tracking.strip()) if part)
    _event(
        session,
        case_row,
        side="buyer",
        name=name,
        kind="return_sent",
        text=f"The parcel is on its way back{f' ({sent})' if sent else ''}.",
        now=now,
    )
    _say(
        session,
        case_row,
        writer,
        f"I have sent the parcel back{f' ({sent})' if sent else ''}.",
        now,
    )


def escalate(
    session: Session,
    case_row: db.AfterSaleCase,
    *,
    name: str,
    message: str,
    now: datetime,
    writer: Writer | None = None,
) -> None:
    case = case_of(case_row)
    case.escalate(now=now)
    words = _words(message, what="why the platform should decide", required=False)
    case_row.escalated_at = now
    _save(case_row, case, now=now)
    _event(
        session,
        case_row,
        side="buyer",
        name=name,
        kind="escalated",
        text=words or "The buyer asked the platform to decide.",
        now=now,
    )
    said = "I have asked the platform to decide this case."
    _say(session, case_row, writer, f"{said} {words}" if words else said, now)


def withdraw(session: Session, case_row: db.AfterSaleCase, *, name: str, now: datetime) -> None:
    case = case_of(case_row)
    if case.state is CaseState.CLOSED:
        return
    case.withdraw()
    _save(case_row, case, now=now)
    _event(
        session,
        case_row,
        side="buyer",
        name=name,
        kind="withdrawn",
        text="The buyer closed the case.",
        now=now,
    )


# --- the shop --------------------------------------------------------------------------


def shop_case(
    session: Session, *, shop_id: str, case_id: str
) -> tuple[db.AfterSaleCase, db.ShopOrder]:
    case_row = session.get(db.AfterSaleCase, case_id)
    if case_row is None or case_row.shop_id != shop_id:
        raise CaseNotFound("no such case in your shop")
    row = refunds.lock_part(session, case_row.shop_order_id)
    assert row is not None, "a case's part exists"
    return case_row, row


def ask_return(
    session: Session,
    case_row: db.AfterSaleCase,
    *,
    name: str,
    address: str,
    message: str,
    now: datetime,
    writer: Writer | None = None,
) -> None:
    case = case_of(case_row)
    where = _words(address, what="the address the buyer sends the parcel back to")
    words = _words(message, what="a note", required=False)
    case.ask_return()
    case_row.return_address = where
    _save(case_row, case, now=now)
    _event(
        session,
        case_row,
        side="shop",
        name=name,
        kind="return_requested",
        text=words or "Please send the parcel back to the address given.",
        now=now,
    )
    note = f"{words}\n\n" if words else ""
    _say(session, case_row, writer, f"{note}Please send the parcel back to:\n{where}", now)


def refund_on_case(
    session: Session,
    provider: PaymentProvider,
    case_row: db.AfterSaleCase,
    row: db.ShopOrder,
    *,
    asked: RefundAsked | None,
    idempotency_key: str,
    by: refunds.RefundBy,
    message: str,
    now: datetime,
    writer: Writer | None = None,
) -> refunds.RefundResult:
    """The shop refunds on the case (after the parcel came back, or at once), or the
    operator decides a refund; `asked` None is everything still refundable."""
    words = _words(message, what="a note", required=False)
    result = refunds.refund_part(
        session,
        provider,
        row,
        asked=asked or refunds.whole_refundable(session, row),
        idempotency_key=idempotency_key,
        by=by,
        reason=words,
        now=now,
        case_id=case_row.id,
    )
    if not result.created:
        return result
    fully = row.refunded_amount >= row.captured_amount
    case = case_of(case_row)
    if by.side == "shop":
        case.refunded(fully=fully)
    else:
        case.decide()
    _save(case_row, case, now=now)
    total = Money(result.refund.items_amount + result.refund.shipping_amount, row.currency)
    _event(
        session,
        case_row,
        side=by.side,
        name=by.name,
        kind="refunded",
        text=words or f"Refunded {total}.",
        now=now,
    )
    _say(session, case_row, writer, f"I have refunded {total}. {words}".strip(), now)
    return result


def note_refund(
    session: Session, row: db.ShopOrder, result: refunds.RefundResult, *, name: str, now: datetime
) -> None:
    """A shop's own refund while a case is open on the part is the shop's answer to it."""
    case_row = open_case_of(session, row.id)
    if case_row is None or not result.created or case_row.state == CaseState.ESCALATED.value:
        return
    case = case_of(case_row)
    case.refunded(fully=row.refunded_amount >= row.captured_amount)
    _save(case_row, case, now=now)
    result.refund.case_id = case_row.id
    _event(
        session,
        case_row,
        side="shop",
        name=name,
        kind="refunded",
        text=result.refund.reason or "The shop refunded.",
        now=now,
    )


# --- the platform ----------------------------------------------------------------------


def decide(
    session: Session,
    provider: PaymentProvider,
    case_id: str,
    *,
    operator: Operator,
    decision: str,
    reason: str,
    asked: RefundAsked | None,
    idempotency_key: str,
    now: datetime,
) -> db.AfterSaleCase:
    """The operator settles an escalated case: a refund out of the shop's proceeds, or the
    case closed in the shop's favour. Either way with a reason both sides read."""
    case_row = session.get(db.AfterSaleCase, case_id)
    if case_row is None:
        raise CaseNotFound("no such case")
    row = refunds.lock_part(session, case_row.shop_order_id)
    assert row is not None, "a case's part exists"
    words = _words(reason, what="the reason both sides will read")
    if decision == "refund":
        earlier = session.scalars(
            select(db.PartRefund).where(
                db.PartRefund.shop_order_id == row.id,
                db.PartRefund.idempotency_key == idempotency_key,
            )
        ).first()
        if earlier is not None:
            return case_row
        if case_row.state != CaseState.ESCALATED.value:
            raise IllegalTransition(
                f"this case is {case_row.state}: only an escalated case is decided"
            )
        refund_on_case(
            session,
            provider,
            case_row,
            row,
            asked=asked,
            idempotency_key=idempotency_key,
            by=refunds.RefundBy("platform", "The platform"),
            message=words,
            now=now,
        )
    elif decision == "close":
        if case_row.state == CaseState.CLOSED.value and case_row.decision == "close":
            return case_row
        case = case_of(case_row)
        case.decide()
        _save(case_row, case, now=now)
        _event(
            session,
            case_row,
            side="platform",
            name="The platform",
            kind="closed",
            text=words,
            now=now,
        )
    else:
        raise CaseRefused("decide with a refund or by closing the case in the shop's favour")
    case_row.decision = decision
    case_row.decision_reason = words
    record_action(
        session,
        db.OperatorAction,
        operator,
        action=f"dispute.{decision}",
        subject=case_row.id,
        reason=words,
        at=now,
    )
    return case_row


# --- the window ------------------------------------------------------------------------

OVERDUE_BATCH = 100


def escalate_overdue(session_factory: sessionmaker[Session], *, now: datetime) -> int:
    """Take to the platform every case the shop left unanswered past its window (a new
    case, or a parcel sent back and never marked received). Each in its own transaction,
    the part locked first as every step does; returns how many went."""
    with session_factory() as session:
        due = session.scalars(
            select(db.AfterSaleCase.id)
            .where(
                db.AfterSaleCase.state.in_([CaseState.OPEN.value, CaseState.RETURN_SENT.value]),
                db.AfterSaleCase.answer_by <= now,
            )
            .order_by(db.AfterSaleCase.answer_by)
            .limit(OVERDUE_BATCH)
        ).all()
    escalated = 0
    for case_id in due:
        with session_factory.begin() as session:
            case_row = session.get(db.AfterSaleCase, case_id)
            if case_row is None:
                continue
            refunds.lock_part(session, case_row.shop_order_id)
            session.refresh(case_row)
            if case_row.state not in (CaseState.OPEN.value, CaseState.RETURN_SENT.value):
                continue  # answered meanwhile
            case = case_of(case_row)
            if as_utc(case_row.answer_by) > now:
                continue
            case.escalate(now=now)
            case_row.escalated_at = now
            _save(case_row, case, now=now)
            _event(
                session,
                case_row,
                side="platform",
                name="The platform",
                kind="escalated",
                text="The shop did not answer in time: the platform decides this case.",
                now=now,
            )
            escalated += 1
    return escalated
