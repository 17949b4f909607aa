"""What every service builds the same way from its settings: database, broker topology,
worker. Each service's `bootstrap` module calls these and adds its own parts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from services.common.db import make_engine, make_session_factory
from services.common.messaging import metrics
from services.common.messaging.consumer import Consumer, Handler
from services.common.messaging.pruning import prune_messages
from services.common.messaging.relay import OutboxRelay
from services.common.messaging.tables import InboxMixin, OutboxMixin
from services.common.messaging.topology import Topology
from services.common.messaging.worker import PeriodicJob, Worker
from services.common.settings import CommonSettings


@dataclass
class Runtime:
    service: str
    settings: CommonSettings
    engine: Engine
    session_factory: sessionmaker
    topology: Topology


# Outbox and inbox rows are kept for days: an hourly look keeps their tables near that size.
MESSAGE_PRUNE_SECONDS = 3600.0


def build_runtime(service: str, settings: CommonSettings, database_url: str) -> Runtime:
    engine = make_engine(database_url)
    return Runtime(
        service=service,
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        topology=Topology(prefix=settings.amqp_prefix, delivery_limit=settings.amqp_delivery_limit),
    )


def build_worker(
    runtime: Runtime,
    *,
    outbox_model: type[OutboxMixin],
    inbox_model: type[InboxMixin] | None = None,
    handlers: dict[type, Handler] | None = None,
    jobs: list[PeriodicJob] | None = None,
) -> Worker:
    consumer = None
    if handlers:
        assert inbox_model is not None, "a consuming worker needs an inbox table"
        consumer = Consumer(
            name=runtime.service,
            queue=runtime.topology.queue(runtime.service),
            session_factory=runtime.session_factory,
            inbox_model=inbox_model,
            handlers=handlers,
            park_after=runtime.settings.message_park_after,
            dead_queue=runtime.topology.dead_letter_queue(runtime.service),
        )
    relay = OutboxRelay(
        session_factory=runtime.session_factory,
        outbox_model=outbox_model,
        topology=runtime.topology,
        max_attempts=runtime.settings.outbox_max_attempts,
    )
    keep = timedelta(days=runtime.settings.message_retention_days)
    inbox = inbox_model.__table__ if inbox_model is not None else None
    pruning = PeriodicJob(
        every=MESSAGE_PRUNE_SECONDS,
        run=lambda: prune_messages(
            runtime.session_factory, outbox=outbox_model.__table__, inbox=inbox, keep=keep
        ),
        name="message-retention",
    )
    return Worker(
        amqp_url=runtime.settings.amqp_url,
        topology=runtime.topology,
        consumer=consumer,
        relay=relay,
        jobs=[*(jobs or []), pruning],
        prefetch=runtime.settings.amqp_prefetch,
        batch_size=runtime.settings.amqp_batch,
        poll=runtime.settings.relay_interval,
        service=runtime.service,
        metrics_source=metrics.Source(
            service=runtime.service,
            session_factory=runtime.session_factory,
            outbox=outbox_model.__table__,
            parked=outbox_model.metadata.tables.get("parked_message"),
        ),
    )


def serve(runtime: Runtime, worker: Worker) -> None:
    """Run a worker process: its /healthz, /readyz and /metrics on the service's worker
    port (SHOPS_WORKER_PORT, ...), and its loop until SIGTERM."""
    worker.health_host = runtime.settings.bind_host
    worker.health_port = getattr(runtime.settings, "worker_port", 0)
    worker.run_forever()
