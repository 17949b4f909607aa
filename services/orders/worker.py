"""The orders worker: follows each shop's answers, relays the outbox.

    python -m services.orders.worker
"""

from __future__ import annotations

from services.common.logs import configure_logging
from services.common.messaging.worker import Worker
from services.common.runtime import Runtime, build_worker
from services.orders.bootstrap import bootstrap
from services.orders.db import InboxMessage, OutboxMessage


def build(runtime: Runtime) -> Worker:
    return build_worker(
        runtime, outbox_model=OutboxMessage, inbox_model=InboxMessage, handlers={}
    )


def main() -> None:
    runtime = bootstrap()
    configure_logging("orders-worker", runtime.settings.log_level)
    build(runtime).run_forever()


if __name__ == "__main__":
    main()
