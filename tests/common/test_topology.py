import json
from pathlib import Path

from services.common.messaging.topology import Topology, broker_definitions

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
