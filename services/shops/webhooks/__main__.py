"""The webhooks process: sends the shops' webhook deliveries, retries the failed ones.

python -m services.shops.webhooks
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import text

from services.common.logs import configure_logging
from services.common.messaging.health import HealthServer, health_app
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

    def live() -> tuple[bool, dict[str, Any]]:
        since = time.monotonic() - sender.last_turn
        return since < STUCK_SECONDS, {"last_turn_seconds": round(since, 1)}

    def ready() -> tuple[bool, dict[str, Any]]:
        try:
            with runtime.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # a probe reports, it never raises
            return False, {"database": repr(error)[:300]}
        return True, {}

    app = health_app(service="shops-webhooks", live=live, ready=ready)
    try:
        health: HealthServer | None = HealthServer(
            app, host=settings.bind_host, port=settings.webhooks_port
        ).start()
    except OSError as error:
        # Deliveries matter more than probes: go on without them, and say so.
        log.error(
            "probe port unavailable", extra={"port": settings.webhooks_port, "error": repr(error)}
        )
        health = None
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
