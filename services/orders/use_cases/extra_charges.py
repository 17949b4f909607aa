"""A shop's extra charge on its part, from the buyer's side: recorded when the shop proposes
it, then accepted (the extra is held on the order's card), refused, or left to expire (the
part is called off and its money released).

Every change locks the part's row first, so the buyer's answer, the expiry job and the
shop's own answer about the part are applied one after the other. Each change writes the
buyer's answer to the outbox in the same transaction; a refusal or an expiry also sends
order.cancelled, which gives the shop its stock back.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.common import contracts
from services.common.clock import as_utc
from services.common.contracts import (
    Envelope,
    OrderExtraChargeAnswered,
    ShopOrderExtraChargeProposed,
)
from services.common.messaging.tables import add_to_outbox
from services.orders import db
from services.orders.domain.errors import DomainError
from services.orders.domain.extra_charge import ExtraCharge, ExtraChargeNotOpen, ExtraChargeStatus
from services.orders.domain.order import PartStatus
from services.orders.mapping import authorization_of, part_from_row
from services.orders.payments.port import PaymentProvider, Payments
from services.orders.use_cases import settlement
from services.orders.use_cases.buyer_actions import buyer_part
from services.orders.use_cases.charge_state import charge_from_row, open_charge, save_charge
from services.orders.use_cases.part_state import add_to_timeline, save_part

log = logging.getLogger(__name__)
BATCH = 100

NOTHING_OPEN = "there is no extra charge waiting for your answer on this part"


class ExtraChargeProposals:
    """The worker's handler for shop_order.extra_charge_proposed."""

    def __init__(self, *, answer_window: timedelta) -> None:
        self.answer_window = answer_window

    def on_proposed(
        self, session: Session, event: ShopOrderExtraChargeProposed, envelope: Envelope
    ) -> None:
        context = {"shop_order_id": event.shop_order_id, "proposal_id": event.proposal_id}
        row = session.get(db.ShopOrder, event.shop_order_id, with_for_update=True)
        if row is None or row.order_id != event.order_id or row.shop_id != event.shop_id:
            log.warning("ignoring an extra charge for a part we do not have", extra=context)
            return
        if session.get(db.ExtraCharge, event.proposal_id) is not None:
            return  # the same proposal, sent again
        if row.status != PartStatus.PLACED.value or open_charge(row) is not None:
            # The part moved on (the buyer cancelled it meanwhile): the shop learns that from
            # our order.cancelled; a proposal cannot change a part that is not waiting.
            log.warning("ignoring an extra charge for a part not waiting", extra=context)
            return
        if event.amount.currency != row.currency or event.amount.amount <= 0:
            log.error("ignoring an extra charge in the wrong currency", extra=context)
            return
        proposed_at = as_utc(envelope.occurred_at)
        # Through the part's collection, so a later message in the same transaction sees it.
        row.extra_charges.append(
            db.ExtraCharge(
                id=event.proposal_id,
                shop_order_id=row.id,
                amount=event.amount.amount,
                currency=event.amount.currency,
                reason=event.reason,
                proposed_by=event.proposed_by,
                proposed_at=proposed_at,
                answer_by=proposed_at + self.answer_window,
                status=ExtraChargeStatus.OPEN.value,
            )
        )


def accept(
    session: Session,
    provider: PaymentProvider,
    *,
    user_id: str,
    order_id: str,
    part_id: str,
    now: datetime,
) -> None:
    """The buyer agrees: the extra is held on the order's card and added to the part, whose
    shop may now accept it. A card that refuses the extra leaves everything as it was."""
    row = buyer_part(session, user_id=user_id, order_id=order_id, part_id=part_id)
    charge_row = _open_or_refuse(row)
    charge = charge_from_row(charge_row)
    charge.accept(now=now)
    authorization = authorization_of(row.order)
    if authorization is None:
        raise DomainError("this order was placed without a card, so nothing more can be held")
    provider.increase(authorization, charge.amount, f"extra-charge:{charge.id}")
    part = part_from_row(row)
    part.add_extra(charge.amount)
    save_part(session, part, row, at=now)
    row.order.total_amount += charge.amount.amount
    save_charge(charge, charge_row)
    add_to_outbox(session, db.OutboxMessage, answered(row, charge))


def refuse(
    session: Session,
    provider: PaymentProvider,
    *,
    user_id: str,
    order_id: str,
    part_id: str,
    now: datetime,
) -> None:
    """The buyer says no: the part is called off, its money released, the shop told."""
    row = buyer_part(session, user_id=user_id, order_id=order_id, part_id=part_id)
    charge_row = _open_or_refuse(row)
    charge = charge_from_row(charge_row)
    charge.refuse(now=now)
    _call_off(session, provider, row, charge, charge_row, now=now)


def expire_overdue(session_factory: sessionmaker, payments: Payments, *, now: datetime) -> int:
    """Call off every part whose extra charge went unanswered; return how many."""
    with session_factory() as session:
        overdue = list(
            session.execute(
                select(db.ExtraCharge.id, db.ExtraCharge.shop_order_id)
                .where(
                    db.ExtraCharge.status == ExtraChargeStatus.OPEN.value,
                    db.ExtraCharge.answer_by <= now,
                )
                .order_by(db.ExtraCharge.answer_by)
                .limit(BATCH)
            )
        )
    expired = 0
    for charge_id, part_id in overdue:
        with session_factory.begin() as session:
            row = session.get(db.ShopOrder, part_id, with_for_update=True, populate_existing=True)
            charge_row = session.get(db.ExtraCharge, charge_id, populate_existing=True)
            assert row is not None and charge_row is not None
            charge = charge_from_row(charge_row)
            if not charge.is_overdue(now=now):
                continue  # answered since we looked
            charge.expire(now=now)
            _call_off(session, payments(session), row, charge, charge_row, now=now)
            expired += 1
    return expired


def answered(row: db.ShopOrder, charge: ExtraCharge) -> OrderExtraChargeAnswered:
    return OrderExtraChargeAnswered(
        shop_order_id=row.id,
        order_id=row.order_id,
        shop_id=row.shop_id,
        proposal_id=charge.id,
        answer=charge.status.value,  # type: ignore[arg-type]
        amount=contracts.Money(**charge.amount.as_dict()),
    )


def _open_or_refuse(row: db.ShopOrder) -> db.ExtraCharge:
    charge_row = open_charge(row)
    if charge_row is None:
        raise ExtraChargeNotOpen(NOTHING_OPEN)
    return charge_row


def _call_off(
    session: Session,
    provider: PaymentProvider,
    row: db.ShopOrder,
    charge: ExtraCharge,
    charge_row: db.ExtraCharge,
    *,
    now: datetime,
) -> None:
    save_charge(charge, charge_row)
    part = part_from_row(row)
    part.cancel()
    settlement.release_part(session, provider, row, part, at=now)
    save_part(session, part, row, at=now)
    add_to_timeline(session, row.id, [part.status], at=now)
    add_to_outbox(session, db.OutboxMessage, answered(row, charge))
    settlement.tell_shop_cancelled(session, row, reason=charge.cancel_reason())
