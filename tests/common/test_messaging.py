"""The messaging library on a real RabbitMQ and a real database."""

from __future__ import annotations

import subprocess

import pika
import pytest
from sqlalchemy import event

from services.common.contracts import encode, wrap
from services.common.messaging.worker import connection_parameters
from tests import support
from tests.common.messaging_fixture import build, shop_event

pytestmark = pytest.mark.integration


@pytest.fixture
def fixture(database_url, broker, amqp_prefix):
    built = build(database_url, broker, amqp_prefix)
    yield built
    built.runtime.engine.dispose()


def publish_raw(fixture, body: bytes, routing_key: str = "shop.updated", message_id=None) -> None:
    topology = fixture.runtime.topology
    connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
    channel = connection.channel()
    topology.declare(channel)
    channel.confirm_delivery()
    channel.basic_publish(
        topology.exchange,
        routing_key,
        body,
        pika.BasicProperties(delivery_mode=2, message_id=message_id),
        mandatory=True,
    )
    connection.close()


def test_outbox_events_reach_the_consumer_once(fixture):
    fixture.publish_via_outbox(shop_event("alpha"), shop_event("beta"))
    with support.running(fixture.worker()):
        support.wait_for(lambda: fixture.seen() == ["alpha", "beta"])
    assert fixture.unsent() == 0


def test_consumer_applies_a_redelivered_message_once(fixture):
    body = encode(wrap(shop_event("twice")))
    publish_raw(fixture, body)
    publish_raw(fixture, body)
    publish_raw(fixture, encode(wrap(shop_event("after"))))
    with support.running(fixture.worker()):
        support.wait_for(lambda: "after" in fixture.seen())
    assert fixture.seen() == ["twice", "after"]


def test_malformed_message_is_dead_lettered_and_the_worker_goes_on(fixture):
    publish_raw(fixture, b"this is not json")
    publish_raw(fixture, b'{"type": "shop.updated", "version": 1, "payload": {"shop_id": 3}}')
    publish_raw(fixture, encode(wrap(shop_event("good"))))
    dead_queue = fixture.runtime.topology.dead_letter_queue("catalog")
    with support.running(fixture.worker()):
        support.wait_for(lambda: fixture.seen() == ["good"])
        support.wait_for(lambda: support.queue_depth(dead_queue) == 2)


def test_a_waiting_queue_is_applied_in_batches(fixture):
    names = [f"shop{number:03d}" for number in range(120)]
    commits: list[int] = []
    event.listen(fixture.runtime.engine, "commit", lambda _connection: commits.append(1))
    fixture.publish_via_outbox(*(shop_event(name) for name in names))
    with support.running(fixture.worker()):
        support.wait_for(lambda: len(fixture.seen()) == 120)
    assert fixture.seen() == names
    assert support.queue_depth(fixture.runtime.topology.queue("catalog")) == 0
    # A commit per message would be 120 or more (plus the outbox's own).
    assert len(commits) < 30


def test_events_written_while_the_worker_is_down_are_delivered_after_restart(fixture):
    with support.running(fixture.worker()):
        fixture.publish_via_outbox(shop_event("one"))
        support.wait_for(lambda: fixture.seen() == ["one"])
    fixture.publish_via_outbox(shop_event("two"), shop_event("three"))
    assert fixture.unsent() == 2
    with support.running(fixture.worker()):
        support.wait_for(lambda: fixture.seen() == ["one", "two", "three"])


@pytest.mark.alone
@pytest.mark.skipif(
    subprocess.run(["which", "rabbitmqctl"], capture_output=True).returncode != 0,
    reason="restarting the broker needs rabbitmqctl on this machine",
)
def test_worker_survives_a_broker_restart_without_losing_events(fixture):
    with support.running(fixture.worker()):
        fixture.publish_via_outbox(shop_event("before"))
        support.wait_for(lambda: fixture.seen() == ["before"])
        subprocess.run(["rabbitmqctl", "stop_app"], check=True, capture_output=True)
        # Written while the broker is down: kept in the outbox until it is back.
        fixture.publish_via_outbox(shop_event("during"))
        subprocess.run(["rabbitmqctl", "start_app"], check=True, capture_output=True)
        subprocess.run(["rabbitmqctl", "await_startup"], check=True, capture_output=True)
        fixture.publish_via_outbox(shop_event("after"))
        support.wait_for(lambda: fixture.seen() == ["before", "during", "after"], timeout=60)
