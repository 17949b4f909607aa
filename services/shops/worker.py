"""The shops worker: consumes orders for the shops, relays the outbox, runs timers.

python -m services.shops.worker
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.common.contracts import (
    Envelope,
    OrderCancellationRequested,
    OrderCancelled,
    OrderExtraChargeAnswered,
    OrderPaymentCaptured,
    OrderPaymentFailed,
    OrderPlaced,
)
from services.common.logs import configure_logging
from services.common.messaging.worker import PeriodicJob, Worker
from services.common.runtime import Runtime, build_worker
from services.shops import saga, stock
from services.shops.bootstrap import bootstrap
from services.shops.db import InboxMessage, OutboxMessage
from services.shops.deadlines import decline_overdue
from services.shops.handlers.orders import record_extra_charge_answer
from services.shops.uploads.processor import UploadProcessor

# Declining an unanswered order a few seconds late is fine; its window is hours long.
DEADLINE_CHECK_SECONDS = 15.0


def on_order_placed(session: Session, event: OrderPlaced, _envelope: Envelope) -> None:
    stock.place_order(session, event)


def on_order_cancelled(session: Session, event: OrderCancelled, envelope: Envelope) -> None:
    stock.cancel_order(session, event, envelope)


def on_extra_charge_answered(
    session: Session, event: OrderExtraChargeAnswered, _envelope: Envelope
) -> None:
    record_extra_charge_answer(session, event)


HANDLERS = {
    OrderPlaced: on_order_placed,
    OrderCancelled: on_order_cancelled,
    OrderExtraChargeAnswered: on_extra_charge_answered,
    OrderPaymentCaptured: saga.on_payment_captured,
    OrderPaymentFailed: saga.on_payment_failed,
    OrderCancellationRequested: saga.on_cancellation_requested,
}


def build(runtime: Runtime) -> Worker:
    uploads = UploadProcessor(runtime.session_factory)
    jobs = [
        # Runs on every turn of the loop but returns within its budget, so heartbeats,
        # orders and the relay keep flowing while a large file is applied.
        PeriodicJob(every=0.0, run=uploads.run, name="uploads"),
        PeriodicJob(
            every=DEADLINE_CHECK_SECONDS,
            run=lambda: decline_overdue(runtime.session_factory),
            name="response-window",
        ),
    ]
    return build_worker(
        runtime,
        outbox_model=OutboxMessage,
        inbox_model=InboxMessage,
        handlers=HANDLERS,
        jobs=jobs,
    )


def main() -> None:
    runtime = bootstrap()
    configure_logging("shops-worker", runtime.settings.log_level)
    build(runtime).run_forever()


if __name__ == "__main__":
    main()
