"""The webhooks process: sends the shops' webhook deliveries, retries the failed ones.

python -m services.shops.webhooks
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import timedelta
from typing import Any

from services.common.logs import configure_logging
from services.common.messaging.health import serve_database_process_probes
from services.shops.bootstrap import bootstrap
from services.shops.config import Settings
from services.shops.webhooks.sender import Sender

log = logging.getLogger(__name__)
IDLE_SECONDS = 0.5
STUCK_SECONDS = 60.0


def build_sender(settings: Settings, session_factory: Any) -> Sender:
    return Sender(
        session_factory,
        timeout=settings.webhook_timeout_seconds,
        retry_base=timedelta(seconds=settings.webhook_retry_base_seconds),
        give_up_after=timedelta(hours=settings.webhook_give_up_hours),
        allow_loopback=settings.webhook_allow_local,
        threads=settings.webhook_threads,
    )


def main() -> None:
    runtime = bootstrap()
    settings = runtime.settings
    assert isinstance(settings, Settings)
    configure_logging("shops-webhooks", settings.log_level)
    sender = build_sender(settings, runtime.session_factory)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    health = serve_database_process_probes(
        service="shops-webhooks",
        engine=runtime.engine,
        last_turn=lambda: sender.last_turn,
        stuck_after=STUCK_SECONDS,
        host=settings.bind_host,
        port=settings.webhooks_port,
    )
    log.info("sending webhooks")
    try:
        while not stop.is_set():
            try:
                handed = sender.step()
            except Exception:  # the database may be away for a while; try again
                log.exception("webhook turn failed")
                handed = 0
            if not handed:
                stop.wait(IDLE_SECONDS)
    finally:
        sender.close()
        if health is not None:
            health.stop()


if __name__ == "__main__":
    main()
