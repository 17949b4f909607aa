"""The gateway's worker relays account events from its outbox to the real broker; the
migration that brings the outbox publishes every account that existed before it."""

from __future__ import annotations

import json

import pika
import pytest
from sqlalchemy import create_engine, select, text

from gateway import worker
from gateway.db import OutboxMessage
from services.common.contracts import AccountNotice, AccountUpdated, decode
from services.common.db import normalize_url
from services.common.messaging.worker import connection_parameters
from services.common.migrations import alembic_config
from tests import support
from tests.gateway.conftest import MIGRATIONS
from tests.gateway.helpers import sign_up


class BoundQueue:
    """A queue of the test's own, bound to the account events on the test's exchange:
    where the notifications service's queue will be."""

    def __init__(self, topology) -> None:  # noqa: ANN001
        self.connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
        self.channel = self.connection.channel()
        topology.declare(self.channel)
        self.queue = self.channel.queue_declare("", exclusive=True).method.queue
        self.channel.queue_bind(self.queue, topology.exchange, routing_key="account.*")

    def take(self, count: int) -> list[tuple[str, object]]:
        messages: list[tuple[str, object]] = []

        def arrived() -> bool:
            method, properties, body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is not None:
                envelope, event = decode(body)
                assert properties.message_id == str(envelope.id)
                messages.append((method.routing_key, event))
            return len(messages) >= count

        support.wait_for(arrived, timeout=20)
        return messages

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def bound_queue(amqp_prefix: str):  # noqa: ANN201
    from services.common.messaging.topology import Topology

    queue = BoundQueue(Topology(prefix=amqp_prefix))
    yield queue
    queue.close()


def test_worker_relays_sign_up_events_and_marks_them_sent(
    make_gateway, amqp_prefix: str, bound_queue: BoundQueue
):  # noqa: ANN001
    app = make_gateway(amqp_prefix=amqp_prefix)
    sign_up(app.test_client(), follow_link=False)
    runtime = app.extensions["runtime"]

    with support.running(worker.build(runtime)):
        arrived = bound_queue.take(2)

        def all_sent() -> bool:
            with runtime.session_factory() as session:
                return not session.scalars(
                    select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None))
                ).all()

        support.wait_for(all_sent)

    keys = [key for key, _ in arrived]
    assert keys == ["account.updated", "account.notice"]
    updated, notice = (event for _, event in arrived)
    assert isinstance(updated, AccountUpdated) and updated.email == "ada@example.org"
    assert isinstance(notice, AccountNotice) and notice.kind == "verify_email"
    assert "/account/verify/" in (notice.link or "")


def test_migration_publishes_every_existing_account_once(database_url: str):
    from alembic import command

    config = alembic_config(MIGRATIONS, database_url)
    command.upgrade(config, "9a7e00000001")
    engine = create_engine(normalize_url(database_url))
    with engine.begin() as connection:
        for number in range(3):
            connection.execute(
                text(
                    "INSERT INTO users (id, email, display_name, password_hash,"
                    " session_version, created_at)"
                    " VALUES (:id, :email, :name, 'x', 1, '2026-01-01 00:00:00')"
                ),
                {"id": f"user-{number}", "email": f"p{number}@example.org", "name": f"P{number}"},
            )

    command.upgrade(config, "head")

    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT event_type, body, sent_at FROM outbox ORDER BY seq")
        ).all()
    assert [row.event_type for row in rows] == ["account.updated"] * 3
    assert all(row.sent_at is None for row in rows)
    payloads = [json.loads(row.body)["payload"] for row in rows]
    assert sorted(p["email"] for p in payloads) == [f"p{n}@example.org" for n in range(3)]
    assert all(p["email_verified"] is False and p["revision"] == 1 for p in payloads)
    engine.dispose()
