"""A message whose own handler keeps failing is parked by the consumer (not dead-lettered
by the broker), listed, shown and replayed by the operator's command; a second replay
changes nothing. On the real broker and database."""

from __future__ import annotations

import argparse
import json

import pika
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select

from services.common.contracts import encode, wrap
from services.common.dead_letters import Parked, run
from services.common.messaging.worker import connection_parameters
from tests import support
from tests.common.messaging_fixture import (
    MessageFailure,
    ParkedMessage,
    build,
    parked,
    shop_event,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def fixture(database_url, broker, amqp_prefix):
    built = build(database_url, broker, amqp_prefix)
    yield built
    built.runtime.engine.dispose()


def command(fixture, *words: str) -> list[str]:
    """Run `dead-letters <words>` for the fixture's service; return what it printed."""
    runtime = fixture.runtime
    parked_here = Parked(
        service=runtime.service,
        session_factory=runtime.session_factory,
        table=ParkedMessage.__table__,
        topology=runtime.topology,
        amqp_url=runtime.settings.amqp_url,
    )
    args = argparse.Namespace(
        action=words[0],
        id=next((word for word in words[1:] if not word.startswith("--")), None),
        all="--all" in words,
    )
    printed: list[str] = []
    run(parked_here, args, printed.append)
    return printed


def parked_ids(fixture) -> list[str]:
    with fixture.runtime.session_factory() as session:
        return list(session.scalars(select(ParkedMessage.id).order_by(ParkedMessage.parked_at)))


def counted(name: str, **labels: str) -> float:
    """A counter's value as /metrics shows it (0 before its first count)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_failing_handler_parks_its_message_after_n_failures_and_the_rest_go_on(fixture):
    failed_before = counted(
        "worker_messages_failed_total", service="catalog", event_type="shop.updated"
    )
    parked_before = counted("worker_messages_parked_total", service="catalog")
    fixture.fail_names.add("poison")
    fixture.publish_via_outbox(shop_event("poison"), shop_event("healthy"))
    topology = fixture.runtime.topology
    with support.running(fixture.worker()):
        support.wait_for(lambda: parked(fixture) == [("shop.updated", "parked", 3)])
        support.wait_for(lambda: fixture.seen() == ["healthy"])
        support.wait_for(lambda: support.queue_depth(topology.queue("catalog")) == 0)
    # Parked by the consumer, acked: nothing went to the broker's dead-letter queue.
    assert support.queue_depth(topology.dead_letter_queue("catalog")) == 0
    with fixture.runtime.session_factory() as session:
        row = session.scalars(select(ParkedMessage)).one()
        assert session.scalars(select(MessageFailure)).all() == []  # replays start afresh
    assert "RuntimeError: cannot handle poison" in row.error
    assert json.loads(row.body)["payload"]["name"] == "poison"
    assert json.loads(row.headers)["message_id"] == row.id
    assert row.routing_key == "shop.updated"
    # What /metrics tells: three failures of its handler, one message parked.
    failed = counted("worker_messages_failed_total", service="catalog", event_type="shop.updated")
    assert failed - failed_before == 3
    assert counted("worker_messages_parked_total", service="catalog") - parked_before == 1


def test_a_poison_message_in_a_batch_is_parked_alone(fixture):
    names = [f"shop{number:03d}" for number in range(40)]
    fixture.fail_names.add("shop021")
    fixture.publish_via_outbox(*(shop_event(name) for name in names))
    with support.running(fixture.worker()):
        support.wait_for(lambda: len(parked(fixture)) == 1)
        support.wait_for(lambda: len(fixture.seen()) == 39)
    assert fixture.seen() == [name for name in names if name != "shop021"]


def test_a_parked_message_is_listed_shown_replayed_once_and_a_second_replay_changes_nothing(
    fixture,
):
    fixture.fail_names.add("broken")
    fixture.publish_via_outbox(shop_event("broken"))
    worker = fixture.worker()
    with support.running(worker):
        support.wait_for(lambda: len(parked(fixture)) == 1)
        [message_id] = parked_ids(fixture)

        listed = command(fixture, "list")
        assert any(line.startswith(message_id) and "parked" in line for line in listed)
        shown = json.loads(command(fixture, "show", message_id)[0])
        assert shown["body"]["payload"]["name"] == "broken"
        assert "cannot handle broken" in shown["error"]

        fixture.fail_names.clear()  # the fault is fixed
        assert command(fixture, "replay", "--all")[-1].startswith("1 message(s) replayed")
        support.wait_for(lambda: fixture.seen() == ["broken"])

        # Again, by id and with --all: the inbox drops the message, nothing is applied twice.
        assert command(fixture, "replay", message_id)[-1].startswith("1 message(s) replayed")
        assert command(fixture, "replay", "--all")[-1].startswith("0 message(s) replayed")
        support.wait_for(lambda: support.queue_depth(worker.consumer.queue) == 0)
    assert fixture.seen() == ["broken"]


def test_what_the_broker_dead_lettered_is_listed_and_replayed_like_a_parked_message(fixture):
    topology = fixture.runtime.topology
    good = encode(wrap(shop_event("late")))
    connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
    try:
        channel = connection.channel()
        topology.declare(channel)
        channel.confirm_delivery()
        # As if dead-lettered by the broker: in the dead-letter queue, one malformed.
        for body in (b"not json at all", good):
            channel.basic_publish("", topology.dead_letter_queue("catalog"), body)
    finally:
        connection.close()

    listed = command(fixture, "list")
    assert listed[0] == "2 message(s) taken from the dead-letter queue"
    assert support.queue_depth(topology.dead_letter_queue("catalog")) == 0
    assert sorted(reason for _, reason, _ in parked(fixture)) == ["dead-lettered"] * 2
    with support.running(fixture.worker()):
        command(fixture, "replay", "--all")
        support.wait_for(lambda: fixture.seen() == ["late"])
        # The malformed one goes back to the dead-letter queue, the worker goes on.
        support.wait_for(lambda: support.queue_depth(topology.dead_letter_queue("catalog")) == 1)
