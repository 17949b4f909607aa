"""What a worker tells an operator on /metrics.

Counters and histograms are updated by the consumer, the relay and the worker's loop as
they work. Figures that live in the database (outbox backlog and the age of its oldest
row, parked and dead-lettered messages) are read when /metrics is scraped, by one
collector for every worker of the process, so they answer while the broker is down too.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Table, func, select
from sqlalchemy.orm import sessionmaker

from services.common.clock import as_utc, utcnow

log = logging.getLogger(__name__)

APPLIED = Counter(
    "worker_messages_applied_total", "Messages applied by a handler", ["service", "event_type"]
)
FAILED = Counter(
    "worker_messages_failed_total", "Handler failures, per message", ["service", "event_type"]
)
DUPLICATES = Counter(
    "worker_messages_duplicate_total",
    "Messages dropped because the inbox had them already",
    ["service", "event_type"],
)
PARKED = Counter(
    "worker_messages_parked_total", "Messages parked after repeated failures", ["service"]
)
MALFORMED = Counter(
    "worker_messages_malformed_total", "Messages rejected to the dead-letter queue", ["service"]
)
BATCH_SIZE = Histogram(
    "worker_batch_size",
    "Messages applied in one transaction",
    ["service"],
    buckets=(1, 2, 5, 10, 20, 50, 100, 200),
)
HANDLER_SECONDS = Histogram(
    "worker_handler_seconds", "Time one handler call took", ["service", "event_type"]
)
INBOX_LAG = Histogram(
    "worker_inbox_lag_seconds",
    "From the event's occurrence to its application by this consumer",
    ["service"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800),
)
PUBLISHED = Counter("worker_outbox_published_total", "Outbox events confirmed", ["service"])
JOB_LAST_RUN = Gauge(
    "worker_job_last_run_timestamp_seconds",
    "When a scheduled job last finished (Unix time)",
    ["service", "job"],
)
JOB_FAILURES = Counter(
    "worker_job_failures_total", "Scheduled job runs that raised", ["service", "job"]
)
CONNECTED = Gauge("worker_broker_connected", "1 while the worker is connected", ["service"])
DEAD_LETTER_QUEUE = Gauge(
    "worker_dead_letter_queue_messages",
    "Messages waiting in the service's dead-letter queue (last look)",
    ["service"],
)
RECONNECTS = Counter("worker_broker_reconnects_total", "Failed connection attempts", ["service"])


@dataclass(eq=False)
class Source:
    """One worker's tables, read on every scrape."""

    service: str
    session_factory: sessionmaker
    outbox: Table
    parked: Table | None


class _DatabaseCollector(Collector):
    def __init__(self) -> None:
        self._sources: weakref.WeakSet[Source] = weakref.WeakSet()
        self._lock = threading.Lock()

    def add(self, source: Source) -> None:
        with self._lock:
            self._sources.add(source)

    def collect(self) -> Iterable[GaugeMetricFamily]:
        backlog = GaugeMetricFamily(
            "worker_outbox_backlog",
            "Outbox events not yet confirmed by the broker (not counting those set aside)",
            labels=["service"],
        )
        stuck = GaugeMetricFamily(
            "worker_outbox_stuck",
            "Outbox events set aside after the broker refused them too often",
            labels=["service"],
        )
        oldest = GaugeMetricFamily(
            "worker_outbox_oldest_seconds",
            "Age of the oldest unsent outbox event (0 when none)",
            labels=["service"],
        )
        parked = GaugeMetricFamily(
            "worker_parked_messages",
            "Messages set aside for an operator, by reason (parked, dead-lettered)",
            labels=["service", "reason"],
        )
        with self._lock:
            sources = list(self._sources)
        for source in sources:
            try:
                figures = _read(source)
            except Exception:  # a scrape reports what it can; a database error is logged
                log.warning("metrics: database unreachable", extra={"service": source.service})
                continue
            count, since, by_reason, set_aside = figures
            backlog.add_metric([source.service], count)
            stuck.add_metric([source.service], set_aside)
            oldest.add_metric([source.service], since)
            for reason, number in by_reason.items():
                parked.add_metric([source.service, reason], number)
        return [backlog, oldest, parked, stuck]


def _read(source: Source) -> tuple[int, float, dict[str, int], int]:
    outbox = source.outbox
    with source.session_factory() as session:
        count, first = session.execute(
            select(func.count(), func.min(outbox.c.created_at)).where(
                outbox.c.sent_at.is_(None), outbox.c.stuck_at.is_(None)
            )
        ).one()
        set_aside = session.scalar(
            select(func.count()).where(outbox.c.sent_at.is_(None), outbox.c.stuck_at.is_not(None))
        )
        by_reason: dict[str, int] = {"parked": 0, "dead-lettered": 0}
        if source.parked is not None:
            rows = session.execute(
                select(source.parked.c.reason, func.count())
                .where(source.parked.c.replayed_at.is_(None))
                .group_by(source.parked.c.reason)
            )
            by_reason.update({reason: number for reason, number in rows})
    since = 0.0
    if first is not None:
        since = max(0.0, (utcnow() - as_utc(first)).total_seconds())
    return int(count), since, by_reason, int(set_aside or 0)


DATABASE = _DatabaseCollector()
REGISTRY.register(DATABASE)


def timed(service: str, event_type: str) -> Callable[[], None]:
    """Start timing a handler call; the returned function records it."""
    started = time.perf_counter()

    def done() -> None:
        HANDLER_SECONDS.labels(service, event_type).observe(time.perf_counter() - started)

    return done
