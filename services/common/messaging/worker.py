"""A service's worker process: its consumer, its outbox relay and its periodic jobs.

Everything runs on one thread with two connections (one consuming, one publishing with
confirms), because pika connections are not thread-safe. Deliveries are collected while
the connection does its I/O and applied in batches of at most `batch_size`; after each
batch the relay publishes what the batch staged, so a long queue never holds back the
events its own messages produce. When the broker goes away the
worker reconnects with a growing pause; nothing is lost meanwhile, since unacked messages
stay in their queue and unsent events stay in the outbox.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pika
from pika.exceptions import AMQPChannelError, AMQPConnectionError

from services.common.memory import tune_garbage_collector
from services.common.messaging.consumer import Consumer, Delivery
from services.common.messaging.relay import OutboxRelay
from services.common.messaging.topology import Topology

log = logging.getLogger(__name__)


def connection_parameters(amqp_url: str) -> pika.URLParameters:
    parameters = pika.URLParameters(amqp_url)
    # BlockingConnection only sends heartbeats while it does I/O; the loop below does I/O
    # at least every `poll` seconds, far inside these limits.
    parameters.heartbeat = 30
    parameters.blocked_connection_timeout = 60
    parameters.connection_attempts = 1
    parameters.socket_timeout = 5
    return parameters


# Looks at the socket (of at most 100 KB each) without a new delivery before a batch is taken
# as complete: enough for a message of a few megabytes.
_LOOKS_PER_MESSAGE = 32


@dataclass
class PeriodicJob:
    every: float
    run: Callable[[], object]
    name: str = ""
    next_at: float = 0.0


@dataclass
class Worker:
    amqp_url: str
    topology: Topology
    consumer: Consumer | None = None
    relay: OutboxRelay | None = None
    jobs: list[PeriodicJob] = field(default_factory=list)
    prefetch: int = 200
    batch_size: int = 50
    # A batch also ends past this many bytes of messages: its transaction holds the
    # service's write lock (on SQLite, the whole file) while it is applied.
    batch_bytes: int = 4 * 1024 * 1024
    poll: float = 0.05
    stopping: bool = False
    _deliveries: list[Delivery] = field(default_factory=list)

    def stop(self, *_args: object) -> None:
        self.stopping = True

    def run_forever(self) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
            tune_garbage_collector()
        pause = 0.5
        while not self.stopping:
            try:
                self._run_connected()
                pause = 0.5
            except AMQPChannelError:
                # A refused declaration or a protocol error is a bug, not an outage.
                log.exception("channel error; stopping the worker")
                raise
            except AMQPConnectionError as error:
                log.warning("broker unreachable, retrying", extra={"error": repr(error)})
                time.sleep(pause)
                pause = min(pause * 2, 10.0)

    def _run_connected(self) -> None:
        parameters = connection_parameters(self.amqp_url)
        consuming = pika.BlockingConnection(parameters)
        publishing = pika.BlockingConnection(parameters)
        try:
            channel = consuming.channel()
            self.topology.declare(channel)
            if self.consumer is not None:
                channel.basic_qos(prefetch_count=self.prefetch)
                channel.basic_consume(self.consumer.queue, self._collect)
            confirming = publishing.channel()
            confirming.confirm_delivery()
            log.info("worker connected", extra={"prefix": self.topology.prefix})
            while not self.stopping:
                consuming.process_data_events(time_limit=0 if self._deliveries else self.poll)
                self._read_waiting(consuming)
                self._take_batch(channel)
                if self.relay is not None:
                    while self.relay.publish_pending(confirming) and not self.stopping:
                        consuming.process_data_events(time_limit=0)
                publishing.process_data_events(time_limit=0)
                self._run_due_jobs()
        finally:
            # Unacked deliveries go back to the queue with the closed channel.
            self._deliveries.clear()
            for connection in (consuming, publishing):
                if connection.is_open:
                    try:
                        connection.close()
                    except AMQPConnectionError:
                        pass

    def _collect(self, _channel, method, _properties, body: bytes) -> None:
        self._deliveries.append(Delivery(method.delivery_tag, body))

    def _read_waiting(self, consuming: pika.BlockingConnection) -> None:
        """Read deliveries the broker has already sent, up to a batch.

        pika reads at most 100 KB per look at the socket, so a bulk upload's message (a
        thousand listings, over half a megabyte) takes several looks; taking only what one
        look completed would make every batch a batch of one, a transaction per message."""
        idle_looks = 0
        while self._deliveries and not self._next_batch()[1] and idle_looks < _LOOKS_PER_MESSAGE:
            before = len(self._deliveries)
            consuming.process_data_events(time_limit=0)
            idle_looks = 0 if len(self._deliveries) > before else idle_looks + 1

    def _next_batch(self) -> tuple[int, bool]:
        """How many of the waiting deliveries the next batch takes, and whether that batch
        is full: batch_size of them, or the one that takes it past batch_bytes."""
        size = 0
        for count, delivery in enumerate(self._deliveries[: self.batch_size], start=1):
            size += len(delivery.body)
            if size >= self.batch_bytes:
                return count, True
        count = min(len(self._deliveries), self.batch_size)
        return count, count == self.batch_size

    def _take_batch(self, channel) -> None:
        if self.consumer is None or not self._deliveries:
            return
        count, _ = self._next_batch()
        batch = self._deliveries[:count]
        del self._deliveries[:count]
        self.consumer.take(channel, batch)

    def _run_due_jobs(self) -> None:
        now = time.monotonic()
        for job in self.jobs:
            if now >= job.next_at:
                job.next_at = now + job.every
                try:
                    job.run()
                except Exception:
                    log.exception("periodic job failed", extra={"job": job.name})
