"""The orders worker: follows each shop's answers (settling payments), relays the outbox.

python -m services.orders.worker
"""

from __future__ import annotations

from services.common.contracts import ShopOrderAccepted, ShopOrderDeclined, ShopOrderShipped
from services.common.logs import configure_logging
from services.common.messaging.worker import Worker
from services.common.runtime import Runtime, build_worker
from services.orders.bootstrap import bootstrap, payment_providers
from services.orders.db import InboxMessage, OutboxMessage
from services.orders.use_cases.shop_answers import ShopAnswers


def build(runtime: Runtime) -> Worker:
    answers = ShopAnswers(payment_providers(runtime))
    return build_worker(
        runtime,
        outbox_model=OutboxMessage,
        inbox_model=InboxMessage,
        handlers={
            ShopOrderAccepted: answers.on_accepted,
            ShopOrderDeclined: answers.on_declined,
            ShopOrderShipped: answers.on_shipped,
        },
    )


def main() -> None:
    runtime = bootstrap()
    configure_logging("orders-worker", runtime.settings.log_level)
    build(runtime).run_forever()


if __name__ == "__main__":
    main()
