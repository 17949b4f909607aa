"""A service's worker process: its consumer, its outbox relay and its periodic jobs.

Everything runs on one thread with two connections (one consuming, one publishing with
confirms), because pika connections are not thread-safe. Deliveries are collected while
the connection does its I/O and applied in batches of at most `batch_size`; after each
batch the relay publishes what the batch staged, so a long queue never holds back the
events its own messages produce. When the broker goes away the
worker reconnects with a growing pause; nothing is lost meanwhile, since unacked messages
stay in their queue and unsent events stay in the outbox. Each failed attempt is one
WARNING line saying when the next one comes (pika's own per-attempt errors are muted in
logs.py).

The loop records what an operator's probes ask (connected, consuming, the time of its
last turn); with `health_port` set, a thread serves them with the metrics (health.py).
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
from services.common.messaging import metrics
from services.common.messaging.consumer import Consumer, Delivery
from services.common.messaging.health import HealthServer, health_app
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


# A loop that has not turned for this long is stuck (the longest wait inside one turn is a
# connection attempt or a confirm, far shorter).
STUCK_AFTER_SECONDS = 120.0
# Readiness wants a loop that turned recently: the relay runs on every turn.
RELAY_STALE_AFTER_SECONDS = 30.0
# How often the dead-letter queue's depth is looked at for /metrics.
DEAD_LETTER_LOOK_SECONDS = 15.0

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
    # The name on its metrics and probes ("shops", ...).
    service: str = "worker"
    # Where /healthz, /readyz and /metrics are served; None serves nothing (0: a free port).
    health_port: int | None = None
    health_host: str = "127.0.0.1"
    # Held here: the metrics collector only keeps a weak reference.
    metrics_source: metrics.Source | None = None
    health: HealthServer | None = None
    connected: bool = False
    consuming: bool = False
    last_turn: float = field(default_factory=time.monotonic)
    _deliveries: list[Delivery] = field(default_factory=list)
    _next_dead_letter_look: float = 0.0

    def stop(self, *_args: object) -> None:
        self.stopping = True

    def run_forever(self) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
            tune_garbage_collector()
        metrics.CONNECTED.labels(self.service).set(0)
        if self.metrics_source is not None:
            metrics.DATABASE.add(self.metrics_source)
        if self.health_port is not None and self.health is None:
            try:
                self.health = self._serve_health()
            except OSError as error:
                # Messages matter more than the probes: go on without them, loudly (an
                # orchestrator's readiness probe then fails and shows it).
                log.error(
                    "worker endpoints not served",
                    extra={"port": self.health_port, "error": repr(error)},
                )
        try:
            self._reconnecting()
        finally:
            if self.health is not None:
                self.health.stop()
                self.health = None

    def _reconnecting(self) -> None:
        pause = 0.5
        while not self.stopping:
            self.last_turn = time.monotonic()
            try:
                self._run_connected()
                pause = 0.5
            except AMQPChannelError:
                # A refused declaration or a protocol error is a bug, not an outage.
                log.exception("channel error; stopping the worker")
                raise
            except AMQPConnectionError as error:
                metrics.RECONNECTS.labels(self.service).inc()
                log.warning(
                    "broker unreachable; next attempt in %.1f s",
                    pause,
                    extra={"error": repr(error)[:300], "retry_in_seconds": pause},
                )
                self._sleep(pause)
                pause = min(pause * 2, 10.0)
            finally:
                self.connected = self.consuming = False
                metrics.CONNECTED.labels(self.service).set(0)

    def _sleep(self, seconds: float) -> None:
        # In small steps, so the probes see a live loop and a stop is not kept waiting.
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            self.last_turn = time.monotonic()
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))

    def _serve_health(self) -> HealthServer:
        app = health_app(service=self.service, live=self.liveness, ready=self.readiness)
        return HealthServer(app, host=self.health_host, port=self.health_port or 0).start()

    def liveness(self) -> tuple[bool, dict]:
        since = time.monotonic() - self.last_turn
        return since < STUCK_AFTER_SECONDS, {"last_turn_seconds_ago": round(since, 3)}

    def readiness(self) -> tuple[bool, dict]:
        since = time.monotonic() - self.last_turn
        checks = {
            "connected": self.connected,
            "consuming": self.consuming or self.consumer is None,
            "relay_alive": self.relay is None or since < RELAY_STALE_AFTER_SECONDS,
        }
        return all(checks.values()), {"checks": checks}

    def _run_connected(self) -> None:
        parameters = connection_parameters(self.amqp_url)
        consuming = pika.BlockingConnection(parameters)
        publishing = pika.BlockingConnection(parameters)
        try:
            own = self.consumer.name if self.consumer is not None else None
            channel = self.topology.declare(consuming.channel(), own=own)
            if self.consumer is not None:
                channel.basic_qos(prefetch_count=self.prefetch)
                channel.basic_consume(self.consumer.queue, self._collect)
                self.consuming = True
            self.connected = True
            metrics.CONNECTED.labels(self.service).set(1)
            log.info("worker connected", extra={"prefix": self.topology.prefix})
            while not self.stopping:
                self.last_turn = time.monotonic()
                consuming.process_data_events(time_limit=0 if self._deliveries else self.poll)
                self._read_waiting(consuming)
                self._take_batch(channel)
                if self.relay is not None:
                    while sent := self.relay.publish_pending(publishing):
                        metrics.PUBLISHED.labels(self.service).inc(sent)
                        if self.stopping:
                            break
                        consuming.process_data_events(time_limit=0)
                publishing.process_data_events(time_limit=0)
                self._run_due_jobs()
                self._look_at_dead_letters(channel)
        finally:
            # Unacked deliveries go back to the queue with the closed channel.
            self._deliveries.clear()
            for connection in (consuming, publishing):
                if connection.is_open:
                    try:
                        connection.close()
                    except AMQPConnectionError:
                        pass

    def _collect(self, _channel, method, properties, body: bytes) -> None:
        self._deliveries.append(
            Delivery(method.delivery_tag, body, method.routing_key, properties, method.redelivered)
        )

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
                    metrics.JOB_FAILURES.labels(self.service, job.name).inc()
                    log.exception("periodic job failed", extra={"job": job.name})
                else:
                    metrics.JOB_LAST_RUN.labels(self.service, job.name).set_to_current_time()

    def _look_at_dead_letters(self, channel) -> None:
        """The depth of this service's dead-letter queue, for /metrics (the dead-letters
        command moves its messages into the parked table, where they can be replayed)."""
        if self.consumer is None or time.monotonic() < self._next_dead_letter_look:
            return
        self._next_dead_letter_look = time.monotonic() + DEAD_LETTER_LOOK_SECONDS
        frame = channel.queue_declare(self.consumer.dead_queue, passive=True)
        metrics.DEAD_LETTER_QUEUE.labels(self.service).set(frame.method.message_count)
