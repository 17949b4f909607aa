"""The mail sender process: sends the mails the worker wrote, and again those put off.

python -m services.notifications.sender

A process of its own beside the worker: making a mail (the worker) and handing it to the
mail server (here) each take a core's worth of work at a few hundred mails a second, and
a slow mail server never holds up the queue. Several may run: each claims its mails under
a lease (MAIL_SEND_LEASE_SECONDS). It never touches the broker.
"""

from __future__ import annotations

import logging
import signal
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import text

from services.common.logs import configure_logging
from services.common.messaging.health import HealthServer, health_app
from services.common.runtime import Runtime
from services.notifications.bootstrap import bootstrap
from services.notifications.config import Settings
from services.notifications.outbound import MailSender, SenderLoop
from services.notifications.smtp import SmtpTransport

log = logging.getLogger(__name__)
# A turn takes a batch of mails; one that has not ended for this long is stuck.
STUCK_SECONDS = 120.0


def build_sender(runtime: Runtime) -> SenderLoop:
    settings: Settings = runtime.settings  # type: ignore[assignment]
    sender = MailSender(
        runtime.session_factory,
        SmtpTransport(settings.smtp_url),
        mail_from=settings.mail_from,
        batch=settings.send_batch,
        lease=timedelta(seconds=settings.send_lease_seconds),
        retry_max_seconds=settings.retry_max_seconds,
    )
    return SenderLoop(sender)


def main() -> None:
    runtime = bootstrap()
    settings: Settings = runtime.settings  # type: ignore[assignment]
    configure_logging("notifications-sender", settings.log_level)
    loop = build_sender(runtime)
    signal.signal(signal.SIGTERM, lambda *_: loop.stopped.set())
    signal.signal(signal.SIGINT, lambda *_: loop.stopped.set())

    def live() -> tuple[bool, dict[str, Any]]:
        since = time.monotonic() - loop.last_turn
        return since < STUCK_SECONDS, {"last_turn_seconds": round(since, 1)}

    def ready() -> tuple[bool, dict[str, Any]]:
        try:
            with runtime.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # a probe reports, it never raises
            return False, {"database": repr(error)[:300]}
        return True, {}

    app = health_app(service="notifications-sender", live=live, ready=ready)
    try:
        health: HealthServer | None = HealthServer(
            app, host=settings.bind_host, port=settings.sender_port
        ).start()
    except OSError as error:
        # Mails matter more than probes: go on without them, and say so.
        log.error(
            "probe port unavailable", extra={"port": settings.sender_port, "error": repr(error)}
        )
        health = None
    log.info("sending mails", extra={"smtp": settings.smtp_url.split("@")[-1]})
    try:
        loop.run()
    finally:
        if health is not None:
            health.stop()


if __name__ == "__main__":
    main()
