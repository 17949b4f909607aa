"""The notifications service wired for one test: its database, a real SMTP server
(aiosmtpd) on a free port, the worker on the real broker, and the sender."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

import services.notifications
from services.common.contracts import Event, encode, wrap
from services.common.messaging.consumer import Consumer
from services.common.runtime import Runtime
from services.notifications import mailcatcher
from services.notifications.app import create_app
from services.notifications.bootstrap import bootstrap
from services.notifications.config import Settings
from services.notifications.db import InboxMessage, Mail
from services.notifications.handlers import NotificationHandlers
from services.notifications.sender import build_sender
from services.notifications.worker import build, composer_for
from tests import support

MIGRATIONS = Path(services.notifications.__file__).parent / "migrations"
PUBLIC_URL = "https://storefront.example"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SmtpServer:
    """A real SMTP server for one test; stop and start it to play an outage."""

    port: int = field(default_factory=free_port)
    catcher: mailcatcher.MailCatcher = field(default_factory=mailcatcher.MailCatcher)
    _controller: object | None = None

    def start(self) -> None:
        self._controller = mailcatcher.start(self.catcher, port=self.port)

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()  # type: ignore[attr-defined]
            self._controller = None

    def to(self, address: str) -> list:
        return [c.message for c in self.catcher.messages() if address in c.to]

    def count(self) -> int:
        return len(self.catcher.messages())


@dataclass
class Notifications:
    runtime: Runtime
    settings: Settings
    smtp: SmtpServer
    client: FlaskClient
    consumer: Consumer

    def deliver(self, event: Event, envelope=None) -> bool:
        """Apply one event as the worker would, without the broker."""
        envelope = envelope or wrap(event)
        return self.consumer.apply(envelope, event, self.consumer.handlers[type(event)])

    def publish(self, *events: Event) -> None:
        support.publish(
            self.runtime.topology, *((e.routing_key(), encode(wrap(e))) for e in events)
        )

    def mails(self, **where) -> list[Mail]:
        query = select(Mail).order_by(Mail.created_at, Mail.id)
        for name, value in where.items():
            query = query.where(getattr(Mail, name) == value)
        with self.runtime.session_factory() as session:
            return list(session.scalars(query))

    def count(self) -> int:
        with self.runtime.session_factory() as session:
            return session.scalar(select(func.count()).select_from(Mail))

    @contextmanager
    def running(self, *, sender: bool = True) -> Iterator[None]:
        """The worker on the broker (consumer and digest job), and the sender thread."""
        loop = build_sender(self.runtime) if sender else None
        if loop is not None:
            loop.idle = 0.02
            loop.longest_pause = 0.5
            loop.start()
        try:
            with support.running(build(self.runtime, digest_every=0.2)):
                yield
        finally:
            if loop is not None:
                loop.stop()


def build_notifications(
    database_url: str, *, amqp_prefix: str = "notifications-unused", **overrides
) -> Notifications:
    support.migrate(MIGRATIONS, database_url)
    smtp = SmtpServer()
    settings = Settings(
        database_url=database_url,
        amqp_url=support.AMQP_URL,
        amqp_prefix=amqp_prefix,
        service_token_secret=support.SECRET,
        smtp_url=f"smtp://127.0.0.1:{smtp.port}",
        public_url=PUBLIC_URL,
        retry_max_seconds=0.5,
        **overrides,
    )
    runtime = bootstrap(settings)
    consumer = Consumer(
        name="notifications",
        queue=runtime.topology.queue("notifications"),
        session_factory=runtime.session_factory,
        inbox_model=InboxMessage,
        handlers=NotificationHandlers(composer_for(settings)).handlers(),
    )
    return Notifications(
        runtime=runtime,
        settings=settings,
        smtp=smtp,
        client=create_app(runtime).test_client(),
        consumer=consumer,
    )


@pytest.fixture
def notifications(database_url: str, amqp_prefix: str) -> Iterator[Notifications]:
    built = build_notifications(database_url, amqp_prefix=amqp_prefix)
    built.smtp.start()
    yield built
    built.smtp.stop()
    built.runtime.engine.dispose()
