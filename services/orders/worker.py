"""The orders worker: follows each shop's answers (settling payments) and extra charges,
calls off parts whose extra charge went unanswered, relays the outbox.

python -m services.orders.worker
"""

from __future__ import annotations

from datetime import timedelta

from services.common.contracts import (
    ShopMembersChanged,
    ShopOrderAccepted,
    ShopOrderDeclined,
    ShopOrderExtraChargeProposed,
    ShopOrderShipped,
)
from services.common.logs import configure_logging
from services.common.messaging.tables import utcnow
from services.common.messaging.worker import PeriodicJob, Worker
from services.common.runtime import Runtime, build_worker
from services.orders import membership
from services.orders.bootstrap import bootstrap, orders_settings, payment_providers
from services.orders.db import InboxMessage, OutboxMessage
from services.orders.use_cases.extra_charges import ExtraChargeProposals, expire_overdue
from services.orders.use_cases.shop_answers import ShopAnswers

# An unanswered extra charge is called off a little after its deadline; the window is days.
EXTRA_CHARGE_CHECK_SECONDS = 30.0


def build(runtime: Runtime) -> Worker:
    payments = payment_providers(runtime)
    answers = ShopAnswers(payments)
    window = timedelta(days=orders_settings(runtime).extra_charge_answer_days)
    proposals = ExtraChargeProposals(answer_window=window)
    return build_worker(
        runtime,
        outbox_model=OutboxMessage,
        inbox_model=InboxMessage,
        handlers={
            ShopOrderAccepted: answers.on_accepted,
            ShopOrderDeclined: answers.on_declined,
            ShopOrderShipped: answers.on_shipped,
            ShopOrderExtraChargeProposed: proposals.on_proposed,
            ShopMembersChanged: membership.on_members_changed,
        },
        jobs=[
            PeriodicJob(
                every=EXTRA_CHARGE_CHECK_SECONDS,
                run=lambda: expire_overdue(runtime.session_factory, payments, now=utcnow()),
                name="extra-charge-window",
            )
        ],
    )


def main() -> None:
    runtime = bootstrap()
    configure_logging("orders-worker", runtime.settings.log_level)
    build(runtime).run_forever()


if __name__ == "__main__":
    main()
