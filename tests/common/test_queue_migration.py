"""A queue declared by an earlier version with a delivery limit of 5 is re-created by its
own service's worker with the new arguments, and none of its messages is lost."""

from __future__ import annotations

from contextlib import ExitStack

import pika
import pytest

from services.common.contracts import encode, wrap
from services.common.messaging.topology import SERVICE_BINDINGS
from services.common.messaging.worker import connection_parameters
from tests import support
from tests.common.messaging_fixture import build, shop_event

pytestmark = pytest.mark.integration


def exists(queue: str) -> bool:
    connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
    try:
        connection.channel().queue_declare(queue, passive=True)
        return True
    except pika.exceptions.ChannelClosedByBroker as error:
        assert error.reply_code == 404
        return False
    finally:
        if connection.is_open:
            connection.close()


def declare_the_old_queue(fixture) -> None:
    topology = fixture.runtime.topology
    queue = topology.queue("catalog")
    old_arguments = topology.queue_arguments("catalog") | {"x-delivery-limit": 5}
    connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
    try:
        channel = connection.channel()
        channel.exchange_declare(topology.exchange, exchange_type="topic", durable=True)
        channel.queue_declare(queue, durable=True, arguments=old_arguments)
        for key in SERVICE_BINDINGS["catalog"]:
            channel.queue_bind(queue, topology.exchange, routing_key=key)
    finally:
        connection.close()


@pytest.mark.parametrize("replicas", [1, 2])
def test_a_queue_with_an_older_delivery_limit_is_recreated_with_its_messages(
    database_url, broker, amqp_prefix, replicas
):
    fixture = build(database_url, broker, amqp_prefix)
    topology = fixture.runtime.topology
    queue = topology.queue("catalog")
    declare_the_old_queue(fixture)
    # Published as before the upgrade: they wait in the old queue.
    names = [f"waiting{number}" for number in range(5)]
    support.publish(topology, *(("shop.updated", encode(wrap(shop_event(n)))) for n in names))
    assert support.queue_depth(queue) == 5

    # Replicas starting together both find the old queue; one re-creates it.
    with ExitStack() as workers:
        for _ in range(replicas):
            workers.enter_context(support.running(fixture.worker()))
        support.wait_for(lambda: sorted(fixture.seen()) == names, timeout=30)
        fixture.publish_via_outbox(shop_event("after"))
        support.wait_for(lambda: "after" in fixture.seen())

    assert sorted(fixture.seen()) == sorted([*names, "after"])
    assert not exists(f"{queue}.moving")
    # The queue now has the new arguments: declaring it with them is accepted.
    connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
    try:
        connection.channel().queue_declare(
            queue, durable=True, arguments=topology.queue_arguments("catalog")
        )
    finally:
        connection.close()
    fixture.runtime.engine.dispose()
