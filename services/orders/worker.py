"""The orders worker: follows each shop's answers (settling payments, telling the shop the
money is captured) and extra charges, calls off parts whose extra charge went unanswered,
voids checkout authorizations no order used, takes to the platform the after-sale cases a
shop left unanswered, relays the outbox.

python -m services.orders.worker
"""

from __future__ import annotations

from datetime import timedelta

from services.common.clock import utcnow
from services.common.contracts import (
    ShopMembersChanged,
    ShopOrderAccepted,
    ShopOrderCancellationRefused,
    ShopOrderCancelled,
    ShopOrderDeclined,
    ShopOrderExtraChargeProposed,
    ShopOrderReadyToCollect,
    ShopOrderShipped,
)
from services.common.logs import configure_logging
from services.common.messaging.worker import PeriodicJob, Worker
from services.common.runtime import Runtime, build_worker, serve
from services.orders import membership
from services.orders.address_retention import erase_expired_addresses
from services.orders.bootstrap import bootstrap, orders_settings, payment_providers
from services.orders.db import InboxMessage, OutboxMessage
from services.orders.use_cases.cases import escalate_overdue
from services.orders.use_cases.extra_charges import ExtraChargeProposals, expire_overdue
from services.orders.use_cases.holds import void_orphans
from services.orders.use_cases.shop_answers import ShopAnswers

# An unanswered extra charge is called off a little after its deadline; the window is days.
EXTRA_CHARGE_CHECK_SECONDS = 30.0
# Addresses are kept for days (ADDRESS_RETENTION_DAYS): erasing them hourly is on time.
ADDRESS_RETENTION_CHECK_SECONDS = 3600.0
# A case's window is days; escalating the overdue ones every few minutes is on time.
CASE_WINDOW_CHECK_SECONDS = 300.0
# Orphan authorizations are voided after minutes; looking once a minute is plenty.
ORPHAN_CHECK_SECONDS = 60.0


def build(runtime: Runtime) -> Worker:
    payments = payment_providers(runtime)
    answers = ShopAnswers(payments)
    settings = orders_settings(runtime)
    window = timedelta(days=settings.extra_charge_answer_days)
    orphan_age = timedelta(minutes=settings.orphan_authorization_minutes)
    proposals = ExtraChargeProposals(answer_window=window)
    retention_days = settings.address_retention_days
    return build_worker(
        runtime,
        outbox_model=OutboxMessage,
        inbox_model=InboxMessage,
        handlers={
            ShopOrderAccepted: answers.on_accepted,
            ShopOrderDeclined: answers.on_declined,
            ShopOrderShipped: answers.on_shipped,
            ShopOrderCancelled: answers.on_cancelled,
            ShopOrderCancellationRefused: answers.on_cancellation_refused,
            ShopOrderReadyToCollect: answers.on_ready_to_collect,
            ShopOrderExtraChargeProposed: proposals.on_proposed,
            ShopMembersChanged: membership.on_members_changed,
        },
        jobs=[
            PeriodicJob(
                every=EXTRA_CHARGE_CHECK_SECONDS,
                run=lambda: expire_overdue(runtime.session_factory, payments, now=utcnow()),
                name="extra-charge-window",
            ),
            PeriodicJob(
                every=ADDRESS_RETENTION_CHECK_SECONDS,
                run=lambda: erase_expired_addresses(runtime.session_factory, days=retention_days),
                name="address-retention",
            ),
            PeriodicJob(
                every=ORPHAN_CHECK_SECONDS,
                run=lambda: void_orphans(
                    runtime.session_factory, payments, now=utcnow(), older_than=orphan_age
                ),
                name="orphan-authorizations",
            ),
            PeriodicJob(
                every=CASE_WINDOW_CHECK_SECONDS,
                run=lambda: escalate_overdue(runtime.session_factory, now=utcnow()),
                name="case-window",
            ),
        ],
    )


def main() -> None:
    runtime = bootstrap()
    configure_logging("orders-worker", runtime.settings.log_level)
    serve(runtime, build(runtime))


if __name__ == "__main__":
    main()
