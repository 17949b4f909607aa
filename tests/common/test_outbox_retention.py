"""The messaging library's housekeeping on a real RabbitMQ and a real database: outbox and
inbox rows deleted after their retention period, and events the broker keeps refusing set
aside so they never hold back the events behind them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pika
import pytest
from sqlalchemy import insert, select, update

from services.common import stuck_events
from services.common.clock import utcnow
from services.common.contracts import encode, wrap
from services.common.messaging.pruning import prune_messages
from services.common.messaging.relay import OutboxRelay
from services.common.messaging.worker import connection_parameters
from tests import support
from tests.common.messaging_fixture import Inbox, Outbox, SeenShop, build, shop_event

pytestmark = pytest.mark.integration

KEEP = timedelta(days=7)


@pytest.fixture
def fixture(database_url, broker, amqp_prefix):
    built = build(database_url, broker, amqp_prefix)
    yield built
    built.runtime.engine.dispose()


@pytest.fixture
def connection(fixture) -> Iterator[pika.BlockingConnection]:
    connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
    fixture.runtime.topology.declare(connection.channel())
    yield connection
    if connection.is_open:
        connection.close()


def relay_of(fixture, **options) -> OutboxRelay:
    return OutboxRelay(
        session_factory=fixture.runtime.session_factory,
        outbox_model=Outbox,
        topology=fixture.runtime.topology,
        **options,
    )


def outbox_ids(fixture) -> set[str]:
    with fixture.runtime.session_factory() as session:
        return set(session.scalars(select(Outbox.id)))


def inbox_ids(fixture) -> set[str]:
    with fixture.runtime.session_factory() as session:
        return set(session.scalars(select(Inbox.message_id)))


def stage(fixture, name: str, *, routing_key: str | None = None, **columns) -> str:
    event = shop_event(name)
    envelope = wrap(event)
    row = {
        "id": str(envelope.id),
        "seq": columns.pop("seq", 0) or int(utcnow().timestamp() * 1_000_000),
        "routing_key": routing_key or event.routing_key(),
        "event_type": envelope.type,
        "body": encode(envelope).decode(),
        "created_at": utcnow(),
        "attempts": 0,
        **columns,
    }
    with fixture.runtime.session_factory.begin() as session:
        session.execute(insert(Outbox.__table__), [row])
    return row["id"]


def apply_once(fixture, name: str, *, days_ago: float):
    """Apply a message through the consumer, then date its inbox row `days_ago`; return
    a function that applies the same message again (True if it changed anything)."""
    consumer = fixture.worker().consumer
    event = shop_event(name)
    envelope = wrap(event)
    assert consumer.apply(envelope, event, fixture.record)
    with fixture.runtime.session_factory.begin() as session:
        session.execute(
            update(Inbox)
            .where(Inbox.message_id == str(envelope.id))
            .values(processed_at=utcnow() - timedelta(days=days_ago))
        )
    return str(envelope.id), lambda: consumer.apply(envelope, event, fixture.record)


def test_prune_messages_deletes_what_is_past_retention_and_keeps_the_rest(fixture, connection):
    now = utcnow()
    old_sent = stage(fixture, "old-sent", sent_at=now - timedelta(days=8), attempts=1)
    recent_sent = stage(fixture, "recent-sent", sent_at=now - timedelta(days=6), attempts=1)
    # Never sent, however old: the broker was away, or refused it until it was set aside.
    old_unsent = stage(fixture, "old-unsent", created_at=now - timedelta(days=30))
    set_aside = stage(
        fixture,
        "set-aside",
        routing_key="nobody.listens.here",
        created_at=now - timedelta(days=30),
        attempts=25,
        stuck_at=now - timedelta(days=29),
    )
    old_applied, _ = apply_once(fixture, "old-applied", days_ago=8)
    recent_applied, apply_again = apply_once(fixture, "recent-applied", days_ago=6)

    deleted = prune_messages(
        fixture.runtime.session_factory,
        outbox=Outbox.__table__,
        inbox=Inbox.__table__,
        keep=KEEP,
    )

    assert deleted == 2
    assert outbox_ids(fixture) == {recent_sent, old_unsent, set_aside}
    assert old_sent not in outbox_ids(fixture)
    assert inbox_ids(fixture) == {recent_applied}
    # Within the window the inbox still drops a redelivery, and the relay sends only the
    # event that was never sent: the kept rows are not published again.
    assert apply_again() is False
    assert fixture.seen() == ["old-applied", "recent-applied"]
    assert relay_of(fixture).publish_pending(connection) == 1
    assert support.queue_depth(fixture.runtime.topology.queue("catalog")) == 1
    assert old_applied not in inbox_ids(fixture)


def test_prune_messages_deletes_a_backlog_larger_than_one_batch(fixture):
    long_ago = utcnow() - timedelta(days=10)
    rows = [
        {
            "id": f"00000000-0000-4000-8000-{number:012d}",
            "seq": number,
            "routing_key": "shop.updated",
            "event_type": "shop.updated",
            "body": "{}",
            "created_at": long_ago,
            "sent_at": long_ago,
            "attempts": 1,
        }
        for number in range(1, 1203)
    ]
    with fixture.runtime.session_factory.begin() as session:
        session.execute(insert(Outbox.__table__), rows)
    kept = stage(fixture, "today", sent_at=utcnow(), attempts=1)

    deleted = prune_messages(
        fixture.runtime.session_factory, outbox=Outbox.__table__, inbox=None, keep=KEEP
    )

    assert deleted == 1202
    assert outbox_ids(fixture) == {kept}


def test_every_worker_runs_the_retention_job(fixture):
    stage(fixture, "old-sent", sent_at=utcnow() - timedelta(days=30), attempts=1)
    apply_once(fixture, "old-applied", days_ago=30)
    worker = fixture.worker()
    [job] = [job for job in worker.jobs if job.name == "message-retention"]

    job.run()

    assert outbox_ids(fixture) == set()
    assert inbox_ids(fixture) == set()


def test_refused_events_are_set_aside_and_do_not_stop_a_new_event_from_being_sent(
    fixture, connection
):
    # A full page of events no queue is bound for, ahead of a routable one: retried for
    # ever, they used to fill every page the relay read.
    refused = [
        stage(fixture, f"refused-{number}", routing_key="nobody.listens.here", seq=number)
        for number in range(1, 501)
    ]
    routable = stage(fixture, "routable")
    relay = relay_of(fixture, batch_size=500, max_attempts=3, recheck_every=0.05)

    support.wait_for(lambda: relay.publish_pending(connection) == 1, timeout=60, every=0.05)

    assert support.queue_depth(fixture.runtime.topology.queue("catalog")) == 1
    with fixture.runtime.session_factory() as session:
        rows = {row.id: row for row in session.scalars(select(Outbox))}
    assert rows[routable].sent_at is not None
    assert all(rows[event_id].sent_at is None for event_id in refused)
    assert all(rows[event_id].stuck_at is not None for event_id in refused)
    assert {rows[event_id].attempts for event_id in refused} == {3}
    assert "NO_ROUTE" in (rows[refused[0]].last_error or "")
    # Set aside, they are no longer tried on each pass.
    assert relay.publish_pending(connection) == 0


def test_outbox_stuck_lists_events_set_aside_and_retry_hands_them_back(fixture, connection):
    first = stage(
        fixture, "first", routing_key="nobody.listens.here", attempts=3, stuck_at=utcnow()
    )
    second = stage(fixture, "second", routing_key="shop.updated", attempts=3, stuck_at=utcnow())
    outbox = stuck_events.Outbox(
        service="catalog", session_factory=fixture.runtime.session_factory, table=Outbox.__table__
    )
    lines: list[str] = []
    relay = relay_of(fixture, max_attempts=3)

    assert stuck_events.list_stuck(outbox, lines.append) == 2
    assert relay.publish_pending(connection) == 0
    assert stuck_events.retry(outbox, [second], lines.append) == 1
    assert relay.publish_pending(connection) == 1
    with pytest.raises(SystemExit, match="no outbox event 'nope' set aside"):
        stuck_events.retry(outbox, ["nope"], lines.append)

    assert any(line.startswith(first) and "nobody.listens.here  3" in line for line in lines)
    assert lines[-1] == "1 event(s) handed back to the relay"
    assert support.queue_depth(fixture.runtime.topology.queue("catalog")) == 1
    with fixture.runtime.session_factory() as session:
        assert session.scalar(select(SeenShop).limit(1)) is None
        sent = session.get(Outbox, second)
        assert sent.sent_at is not None and sent.stuck_at is None and sent.attempts == 1
