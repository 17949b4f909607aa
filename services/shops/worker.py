"""The shops worker: consumes orders for the shops, relays the outbox, runs timers.

    python -m services.shops.worker
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.common.contracts import Envelope, OrderCancelled, OrderPlaced
from services.common.logs import configure_logging
from services.common.messaging.worker import Worker
from services.common.runtime import Runtime, build_worker
from services.shops import stock
from services.shops.bootstrap import bootstrap
from services.shops.db import InboxMessage, OutboxMessage


def on_order_placed(session: Session, event: OrderPlaced, _envelope: Envelope) -> None:
    stock.place_order(session, event)


def on_order_cancelled(session: Session, event: OrderCancelled, _envelope: Envelope) -> None:
    stock.cancel_order(session, event)


HANDLERS = {OrderPlaced: on_order_placed, OrderCancelled: on_order_cancelled}


def build(runtime: Runtime) -> Worker:
    return build_worker(
        runtime, outbox_model=OutboxMessage, inbox_model=InboxMessage, handlers=HANDLERS
    )


def main() -> None:
    runtime = bootstrap()
    configure_logging("shops-worker", runtime.settings.log_level)
    build(runtime).run_forever()


if __name__ == "__main__":
    main()
