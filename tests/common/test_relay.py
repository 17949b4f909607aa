"""The outbox relay on a real RabbitMQ and a real database: batches, refusals, locking."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pika
import pytest
from sqlalchemy import select

from services.common.clock import utcnow
from services.common.contracts import encode, wrap
from services.common.messaging import relay as relay_module
from services.common.messaging import tables
from services.common.messaging.relay import OutboxRelay
from services.common.messaging.worker import connection_parameters
from tests import support
from tests.common.messaging_fixture import Outbox, build, shop_event

pytestmark = pytest.mark.integration


@pytest.fixture
def fixture(database_url, broker, amqp_prefix):
    built = build(database_url, broker, amqp_prefix)
    yield built
    built.runtime.engine.dispose()


@pytest.fixture
def channel(fixture) -> Iterator[pika.adapters.blocking_connection.BlockingChannel]:
    connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
    channel = connection.channel()
    fixture.runtime.topology.declare(channel)
    yield channel
    if connection.is_open:
        connection.close()


def relay_of(fixture, **options) -> OutboxRelay:
    return OutboxRelay(
        session_factory=fixture.runtime.session_factory,
        outbox_model=Outbox,
        topology=fixture.runtime.topology,
        **options,
    )


def outbox_rows(fixture) -> list[Outbox]:
    with fixture.runtime.session_factory() as session:
        return list(session.scalars(select(Outbox).order_by(Outbox.seq)))


def stage_unroutable(fixture) -> str:
    """An event whose routing key no queue binds: the broker returns it."""
    envelope = wrap(shop_event("nowhere"))
    with fixture.runtime.session_factory.begin() as session:
        session.add(
            Outbox(
                id=str(envelope.id),
                seq=1,
                routing_key="nobody.listens.here",
                event_type=envelope.type,
                body=encode(envelope).decode(),
                created_at=utcnow(),
            )
        )
    return str(envelope.id)


def test_publish_pending_sends_a_batch_in_order_and_marks_every_event_sent(fixture, channel):
    names = [f"shop-{number:03d}" for number in range(250)]
    fixture.publish_via_outbox(*(shop_event(name) for name in names))

    assert relay_of(fixture, batch_size=100).publish_pending(channel.connection) == 100
    assert sum(row.sent_at is not None for row in outbox_rows(fixture)) == 100

    with support.running(fixture.worker()):
        support.wait_for(lambda: len(fixture.seen()) == 250)
    assert fixture.seen() == names
    assert all(row.sent_at is not None and row.attempts == 1 for row in outbox_rows(fixture))


def test_publish_pending_leaves_an_unroutable_event_unsent_and_sends_the_others(fixture, channel):
    unroutable = stage_unroutable(fixture)
    fixture.publish_via_outbox(shop_event("routable"))
    relay = relay_of(fixture)

    assert relay.publish_pending(channel.connection) == 1
    assert relay.publish_pending(channel.connection) == 0

    rows = {row.id: row for row in outbox_rows(fixture)}
    refused = rows.pop(unroutable)
    assert refused.sent_at is None
    assert refused.attempts == 2
    assert "NO_ROUTE" in (refused.last_error or "")
    [routable] = rows.values()
    assert routable.sent_at is not None
    assert routable.last_error is None
    assert support.queue_depth(fixture.runtime.topology.queue("catalog")) == 1


def test_publish_pending_tries_a_refused_event_again_after_a_pause_not_on_every_pass(
    fixture, channel
):
    # A publisher whose events nobody binds yet (a new service's) must not spin: each pass
    # the broker refused whole used to write its failed attempts and start again at once.
    unroutable = stage_unroutable(fixture)
    relay = relay_of(fixture, recheck_every=0.5)

    passes = [relay.publish_pending(channel.connection) for _ in range(20)]
    refused_attempts = {row.id: row.attempts for row in outbox_rows(fixture)}[unroutable]
    fixture.publish_via_outbox(shop_event("routable"))
    support.wait_for(lambda: relay.publish_pending(channel.connection) == 1, timeout=5, every=0.1)

    assert passes == [0] * 20
    assert refused_attempts == 1
    assert support.queue_depth(fixture.runtime.topology.queue("catalog")) == 1


def test_publish_pending_on_a_new_connection_after_the_old_one_closed(fixture, channel):
    relay = relay_of(fixture)
    fixture.publish_via_outbox(shop_event("first"))
    assert relay.publish_pending(channel.connection) == 1
    channel.connection.close()

    connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
    try:
        fixture.publish_via_outbox(shop_event("second"))
        assert relay.publish_pending(connection) == 1
    finally:
        connection.close()
    assert support.queue_depth(fixture.runtime.topology.queue("catalog")) == 2


def test_publish_pending_on_sqlite_lets_writers_commit_while_it_awaits_confirms(
    sqlite_url, broker, amqp_prefix, monkeypatch
):
    fixture = build(sqlite_url, broker, amqp_prefix)
    fixture.publish_via_outbox(shop_event("slow"))
    path = sqlite_url.removeprefix("sqlite:///")
    committed: list[bool] = []
    publish = relay_module.BatchPublisher.publish

    def publish_while_another_writer_commits(self, *args, **kwargs):
        # No busy timeout: a write lock held by the relay fails this at once.
        writer = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("INSERT INTO seen_shop (shop_id, name) VALUES ('s-x', 'written')")
            writer.execute("COMMIT")
            committed.append(True)
        finally:
            writer.close()
        return publish(self, *args, **kwargs)

    monkeypatch.setattr(
        relay_module.BatchPublisher, "publish", publish_while_another_writer_commits
    )
    connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
    try:
        channel = connection.channel()
        fixture.runtime.topology.declare(channel)
        assert relay_of(fixture).publish_pending(channel.connection) == 1
    finally:
        connection.close()
        fixture.runtime.engine.dispose()
    assert committed == [True]
    assert fixture.seen() == ["written"]


def test_outbox_sequence_never_repeats_within_a_process():
    # Drawn faster than the clock's microseconds advance, as a transaction writing several
    # events can: a repeat would leave their publishing order to the database.
    drawn = [tables._next_seq() for _ in range(10_000)]

    assert drawn == sorted(set(drawn))
