"""What a shop did with its part of an order: accepted, declined or shipped it.

Each handler runs inside the consumer's transaction, which also records the message id in
the inbox, so a redelivered message is never applied twice. The domain also makes a fact
that is already known (same fact, new message id) or stale change nothing.

Money follows the shop's answer in the same transaction: an accepted part is captured (a
refused capture calls the part off as payment_failed), a declined part is voided, and a
part the shop withdraws after capture is refunded.

The shop side also decides the buyer's cancellation requests: granted (the part is
cancelled and its money voided) or refused (the shop had accepted: the part goes on, and
the buyer's timeline says so).

An event naming a part we do not have, or another shop's part, is logged and ignored,
not raised: retrying cannot fix it, and raising would only cycle it to the dead-letter
queue while holding up nothing of ours. A fact that contradicts the part's status
(accepted after declined) changes nothing either: the part keeps the status the buyer was
told, and the contradiction is recorded in saga_conflicts for an operator
(services/common/conflicts.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, lazyload

from services.common.clock import as_utc
from services.common.conflicts import record_conflict
from services.common.contracts import (
    Envelope,
    ShopOrderAccepted,
    ShopOrderCancellationRefused,
    ShopOrderCancelled,
    ShopOrderDeclined,
    ShopOrderReadyToCollect,
    ShopOrderShipped,
)
from services.orders import db
from services.orders.domain.errors import IllegalTransition
from services.orders.domain.order import PartStatus, Shipment, ShopOrderPart
from services.orders.mapping import part_from_row
from services.orders.payments.port import Payments
from services.orders.use_cases import settlement
from services.orders.use_cases.charge_state import withdraw_open
from services.orders.use_cases.part_state import (
    add_to_timeline,
    add_to_timeline_entries,
    save_part,
)

log = logging.getLogger(__name__)

# Locking the part's row serializes two workers applying two answers for the same part.
# Its extra charges and its order (for the authorization, without the order's other parts)
# come in the same query; the part's timeline is only ever added to here. Built once, so
# the statement's cache key is computed once, not for every message.
PART_FOR_ANSWER = (
    select(db.ShopOrder)
    .where(db.ShopOrder.id == bindparam("id"))
    .options(
        lazyload(db.ShopOrder.timeline),
        joinedload(db.ShopOrder.extra_charges),
        joinedload(db.ShopOrder.order, innerjoin=True).lazyload(db.Order.parts),
    )
    .with_for_update(of=db.ShopOrder)
)
REFRESH = {"populate_existing": True}

ShopEvent = (
    ShopOrderAccepted
    | ShopOrderDeclined
    | ShopOrderShipped
    | ShopOrderCancelled
    | ShopOrderCancellationRefused
    | ShopOrderReadyToCollect
)
# Timeline entries beside the statuses: the buyer asked to cancel; the shop refused.
CANCEL_REQUESTED = "cancel_requested"
CANCEL_REFUSED = "cancel_refused"
# The part the buyer collects in person waits at the shop.
READY_TO_COLLECT = "ready_to_collect"
Change = Callable[[ShopOrderPart], list[PartStatus]]


class ShopAnswers:
    """The worker's handlers for shop_order.*, bound to the payment provider."""

    def __init__(self, payments: Payments) -> None:
        self.payments = payments

    def on_accepted(self, session: Session, event: ShopOrderAccepted, envelope: Envelope) -> None:
        self.record(session, event, envelope, lambda part: part.record_accepted())

    def on_declined(self, session: Session, event: ShopOrderDeclined, envelope: Envelope) -> None:
        self.record(session, event, envelope, lambda part: part.record_declined(event.reason))

    def on_shipped(self, session: Session, event: ShopOrderShipped, envelope: Envelope) -> None:
        shipment = Shipment(
            note=event.note,
            signed_by=event.signed_by,
            carrier=event.carrier,
            tracking_number=event.tracking_number,
        )
        # A shop only ships what it accepted: a shipped part not yet known as accepted is
        # accepted (and captured) first, so a refused payment stops it before "shipped".
        self.record(
            session,
            event,
            envelope,
            lambda part: part.record_accepted() if part.status == PartStatus.PLACED else [],
        )
        self.record(session, event, envelope, lambda part: part.record_shipped(shipment))

    def on_cancelled(self, session: Session, event: ShopOrderCancelled, envelope: Envelope) -> None:
        """The shop side granted the buyer's cancellation: the part's money is voided."""
        self.record(session, event, envelope, lambda part: part.record_cancelled())

    def on_cancellation_refused(
        self, session: Session, event: ShopOrderCancellationRefused, envelope: Envelope
    ) -> None:
        """The shop had accepted already: the part goes on; the buyer's timeline says so."""
        row = self._part(session, event, envelope)
        if row is None:
            return
        if any(entry.status == CANCEL_REFUSED for entry in row.timeline):
            return  # the same answer, sent again
        if row.status in (PartStatus.CANCELLED.value, PartStatus.DECLINED.value):
            conflict(session, envelope, row, f"the shop refused a cancellation ({event.status})")
            return
        at: datetime = as_utc(envelope.occurred_at)
        add_to_timeline_entries(session, row.id, [CANCEL_REFUSED], at=at)

    def on_ready_to_collect(
        self, session: Session, event: ShopOrderReadyToCollect, envelope: Envelope
    ) -> None:
        """The part waits at the shop for its buyer: the buyer's timeline says so."""
        row = self._part(session, event, envelope)
        if row is None:
            return
        if any(entry.status == READY_TO_COLLECT for entry in row.timeline):
            return  # said again
        if not row.collection or row.status != PartStatus.ACCEPTED.value:
            conflict(session, envelope, row, f"ready to collect while {row.status}")
            return
        add_to_timeline_entries(
            session, row.id, [READY_TO_COLLECT], at=as_utc(envelope.occurred_at)
        )

    def record(
        self, session: Session, event: ShopEvent, envelope: Envelope, change: Change
    ) -> None:
        row = self._part(session, event, envelope)
        if row is None:
            return
        part = part_from_row(row)
        try:
            entered = change(part)
        except IllegalTransition as error:
            conflict(session, envelope, row, error.message)
            return
        if not entered:
            return
        at: datetime = as_utc(envelope.occurred_at)
        provider = self.payments(session)
        if PartStatus.ACCEPTED in entered:
            entered += settlement.capture(session, provider, row, part, at=at)
        if PartStatus.DECLINED in entered or PartStatus.CANCELLED in entered:
            settlement.release_part(session, provider, row, part, at=at)
        # The shop answered while an extra charge waited for the buyer: it no longer applies.
        withdraw_open(row, at=at)
        save_part(session, part, row, at=at)
        add_to_timeline(session, row.id, entered, at=at)

    @staticmethod
    def _part(session: Session, event: ShopEvent, envelope: Envelope) -> db.ShopOrder | None:
        """The event's part, locked and read afresh; None (logged) when it is not ours."""
        row = (
            session.scalars(PART_FOR_ANSWER, {"id": event.shop_order_id}, execution_options=REFRESH)
            .unique()
            .one_or_none()
        )
        if row is None or row.order_id != event.order_id or row.shop_id != event.shop_id:
            log.warning(
                "ignoring an answer for a part of an order we do not have",
                extra={
                    "event_type": envelope.type,
                    "message_id": str(envelope.id),
                    "shop_order_id": event.shop_order_id,
                },
            )
            return None
        return row


def conflict(session: Session, envelope: Envelope, row: db.ShopOrder, detail: str) -> None:
    record_conflict(
        session,
        db.SagaConflict,
        service="orders",
        event_type=envelope.type,
        message_id=str(envelope.id),
        shop_order_id=row.id,
        state=row.status,
        detail=detail,
    )
