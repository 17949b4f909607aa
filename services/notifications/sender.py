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
from datetime import timedelta

from services.common.logs import configure_logging
from services.common.messaging.health import serve_database_process_probes
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

    health = serve_database_process_probes(
        service="notifications-sender",
        engine=runtime.engine,
        last_turn=lambda: loop.last_turn,
        stuck_after=STUCK_SECONDS,
        host=settings.bind_host,
        port=settings.sender_port,
    )
    log.info("sending mails", extra={"smtp": settings.smtp_url.split("@")[-1]})
    try:
        loop.run()
    finally:
        if health is not None:
            health.stop()


if __name__ == "__main__":
    main()
