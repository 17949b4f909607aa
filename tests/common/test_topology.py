import json
from pathlib import Path

import pika
import pytest

from services.common.messaging.topology import (
    RETIRED_BINDINGS,
    SERVICE_BINDINGS,
    Topology,
    broker_definitions,
)
from services.common.messaging.worker import connection_parameters
from tests import support

REPO = Path(__file__).resolve().parents[2]


def test_broker_definitions_file_matches_the_code():
    on_disk = json.loads((REPO / "deploy/rabbitmq/definitions.json").read_text())
    assert on_disk == broker_definitions(Topology()), (
        "regenerate with: python -m services.common.messaging.topology "
        "> deploy/rabbitmq/definitions.json"
    )


def test_broker_definitions_every_queue_has_a_delivery_limit_and_dead_letter_exchange():
    definitions = broker_definitions(Topology(prefix="p", delivery_limit=3))
    main_queues = [q for q in definitions["queues"] if not q["name"].endswith(".dead")]
    assert {q["name"] for q in main_queues} == {
        "p.shops",
        "p.catalog",
        "p.orders",
        "p.notifications",
    }
    for queue in main_queues:
        assert queue["arguments"]["x-queue-type"] == "quorum"
        assert queue["arguments"]["x-delivery-limit"] == 3
        assert queue["arguments"]["x-dead-letter-exchange"] == "p.dead-letter"


def test_no_key_is_both_bound_and_retired():
    for service, keys in RETIRED_BINDINGS.items():
        assert not set(keys) & set(SERVICE_BINDINGS[service])


@pytest.mark.integration
def test_declaring_the_topology_removes_a_retired_binding_from_a_running_broker(amqp_prefix):
    topology = Topology(prefix=amqp_prefix)
    connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
    try:
        channel = topology.declare(connection.channel())
        # As an earlier version left it: the notifications queue still bound to each part.
        channel.queue_bind(
            topology.queue("notifications"), topology.exchange, routing_key="order.placed.*"
        )
        topology.declare(channel)
        topology.declare(channel)  # again, with nothing left to remove: no error
    finally:
        connection.close()
    support.publish(topology, ("order.placed.v2", b"{}"), ("order.confirmed", b"{}"))
    assert support.queue_depth(topology.queue("shops")) == 1
    assert support.queue_depth(topology.queue("notifications")) == 1  # order.confirmed only
