"""How a worker process takes its messages in batches."""

from __future__ import annotations

from services.common.messaging.consumer import Delivery
from services.common.messaging.topology import Topology
from services.common.messaging.worker import Worker


class RecordingConsumer:
    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    def take(self, _channel, deliveries) -> None:
        self.batches.append([delivery.tag for delivery in deliveries])


def test_a_batch_ends_at_its_count_or_its_bytes_whichever_comes_first():
    consumer = RecordingConsumer()
    worker = Worker(
        amqp_url="amqp://unused", topology=Topology(), consumer=consumer, batch_size=3,
        batch_bytes=1000,
    )  # fmt: skip
    sizes = [10, 10, 10, 10, 600, 600, 10, 2000, 10]
    worker._deliveries.extend(Delivery(tag, b"x" * size) for tag, size in enumerate(sizes))

    while worker._deliveries:
        worker._take_batch(channel=None)

    # Three at most; a batch ends with the message that takes it past 1000 bytes.
    assert consumer.batches == [[0, 1, 2], [3, 4, 5], [6, 7], [8]]
