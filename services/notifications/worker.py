"""The notifications worker: turns events into mails and gathers want matches.

python -m services.notifications.worker

The consumer and the digest job run on the worker's loop. The mails it writes are sent by
the sender process (services/notifications/sender.py).
"""

from __future__ import annotations

from datetime import timedelta

from services.common.logs import configure_logging
from services.common.messaging.worker import PeriodicJob, Worker
from services.common.runtime import Runtime, build_worker, serve
from services.notifications.bootstrap import bootstrap
from services.notifications.compose import Composer, Links
from services.notifications.config import Settings
from services.notifications.db import InboxMessage, OutboxMessage
from services.notifications.digest import send_due_digests
from services.notifications.handlers import NotificationHandlers
from services.notifications.render import Renderer

DIGEST_CHECK_SECONDS = 30.0


def composer_for(settings: Settings) -> Composer:
    return Composer(
        renderer=Renderer(),
        links=Links(
            public_url=settings.public_url,
            unsubscribe_secret=settings.resolved_unsubscribe_secret(),
        ),
    )


def build(runtime: Runtime, *, digest_every: float = DIGEST_CHECK_SECONDS) -> Worker:
    settings: Settings = runtime.settings  # type: ignore[assignment]
    composer = composer_for(settings)
    period = timedelta(minutes=settings.want_digest_minutes)
    return build_worker(
        runtime,
        outbox_model=OutboxMessage,
        inbox_model=InboxMessage,
        handlers=NotificationHandlers(composer).handlers(),
        jobs=[
            PeriodicJob(
                every=digest_every,
                run=lambda: send_due_digests(runtime.session_factory, composer, every=period),
                name="want-digests",
            )
        ],
    )


def main() -> None:
    runtime = bootstrap()
    configure_logging("notifications-worker", runtime.settings.log_level)
    serve(runtime, build(runtime))


if __name__ == "__main__":
    main()
