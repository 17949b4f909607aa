"""The orders worker: follows each shop's answers, relays the outbox.

    python -m services.orders.worker
"""

from __future__ import annotations

from services.common.contracts import ShopOrderAccepted, ShopOrderDeclined, ShopOrderShipped
from services.common.logs import configure_logging
from services.common.messaging.worker import Worker
from services.common.runtime import Runtime, build_worker
from services.orders.bootstrap import bootstrap
from services.orders.db import InboxMessage, OutboxMessage
from services.orders.use_cases.shop_answers import (
    on_shop_order_accepted,
    on_shop_order_declined,
    on_shop_order_shipped,
)


def build(runtime: Runtime) -> Worker:
    return build_worker(
        runtime,
        outbox_model=OutboxMessage,
        inbox_model=InboxMessage,
        handlers={
            ShopOrderAccepted: on_shop_order_accepted,
            ShopOrderDeclined: on_shop_order_declined,
            ShopOrderShipped: on_shop_order_shipped,
        },
    )


def main() -> None:
    runtime = bootstrap()
    configure_logging("orders-worker", runtime.settings.log_level)
    build(runtime).run_forever()


if __name__ == "__main__":
    main()
