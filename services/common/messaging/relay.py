"""The outbox relay: publishes staged events with publisher confirms, then marks them sent.

A row is marked sent only after the broker confirmed it. A crash in between publishes the
row again on the next run; consumers drop the duplicate through their inbox.

A batch is published in one go and its confirms awaited together: waiting for each confirm
before the next publish costs one broker round trip (a quorum queue's disk write) per event.

On SQLite the relay first asks whether anything was committed to the file since its last
look (`CommitWatch`, a pragma read): an idle worker can then look often, for a short wait
between an order's commit and its publishing, without querying the outbox each time.

On SQLite the batch is read in a read-only snapshot and marked sent in a short write
transaction afterwards, so the database's single write lock is never held while waiting
for the broker. On PostgreSQL the rows stay locked (`FOR UPDATE SKIP LOCKED`) from read to
mark, so two relays of one service (two worker replicas) never send the same rows; row
locks do not stop other transactions from adding events meanwhile.

An event the broker refuses (unroutable, or nacked) stays unsent and is tried again; once
it was refused `max_attempts` times it is set aside (`stuck_at`), out of the relay's page,
so refused events never fill the page and hold back the events behind them. An operator
lists and sends them again with `manage <service> outbox stuck list|retry`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import pika
from pika.adapters.blocking_connection import BlockingConnection
from pika.exceptions import AMQPConnectionError, ChannelClosed
from pika.frame import Method
from pika.spec import Basic
from sqlalchemy import bindparam, case, select, update
from sqlalchemy.orm import Session, sessionmaker

from services.common.clock import utcnow
from services.common.db import CommitWatch, reading
from services.common.messaging.tables import OutboxMixin
from services.common.messaging.topology import Topology

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pending:
    """An outbox row as the relay publishes it, detached from any session."""

    id: str
    routing_key: str
    event_type: str
    body: str
    correlation_id: str | None = None


class OutboxRelay:
    def __init__(
        self,
        *,
        session_factory: sessionmaker,
        outbox_model: type[OutboxMixin],
        topology: Topology,
        batch_size: int = 500,
        confirm_timeout: float = 30.0,
        recheck_every: float = 1.0,
        max_attempts: int = 25,
    ) -> None:
        self.session_factory = session_factory
        self.outbox_model = outbox_model
        self.topology = topology
        self.batch_size = batch_size
        self.confirm_timeout = confirm_timeout
        self._publisher: BatchPublisher | None = None
        self._watch: CommitWatch | None = None
        # Events left unsent by a refusal are tried again at least this often.
        self.recheck_every = recheck_every
        self._next_recheck = 0.0
        # After a pass the broker refused whole, the next waits `recheck_every`: the refused
        # events head the batch again, and their failed attempts are a commit of our own.
        self._quiet_until = 0.0
        # Built once: the relay runs after nearly every commit, and building a statement
        # costs about as much as running it.
        table = outbox_model.__table__
        self._unsent = (
            select(
                table.c.id,
                table.c.routing_key,
                table.c.event_type,
                table.c.body,
                table.c.correlation_id,
            )
            # Through ix_outbox_sent_at: the unsent rows, few since the retention job
            # deletes sent ones; an event set aside is read and passed by, never sent.
            .where(table.c.sent_at.is_(None), table.c.stuck_at.is_(None))
            .order_by(table.c.seq)
            .limit(batch_size)
        )
        self._unsent_locked = self._unsent.with_for_update(skip_locked=True)
        attempted = table.c.attempts + 1
        self._mark_sent = (
            update(table)
            .where(table.c.id.in_(bindparam("ids", expanding=True)))
            .values(sent_at=bindparam("sent_time"), attempts=attempted)
        )
        # The cap is checked in the same statement that counts the attempt: no read more.
        self._mark_refused = (
            update(table)
            .where(table.c.id == bindparam("event_id"))
            .values(
                attempts=attempted,
                last_error=bindparam("error_text"),
                stuck_at=case((attempted >= max_attempts, bindparam("refused_time")), else_=None),
            )
        )

    def _nothing_new(self) -> bool:
        if time.monotonic() < self._quiet_until:
            return True
        if self._watch is None:
            self._watch = CommitWatch(self.session_factory.kw["bind"])
        changed = self._watch.changed()
        now = time.monotonic()
        if changed or now >= self._next_recheck:
            self._next_recheck = now + self.recheck_every
            return False
        return True

    def publish_pending(self, connection: BlockingConnection) -> int:
        """Publish one batch of unsent events; return how many the broker confirmed.

        The batch goes out on a confirming channel of the relay's own on `connection`,
        opened on first use and again whenever the connection changed.
        """
        if self._nothing_new():
            return 0
        # Plain rows through Core statements on the table, not ORM objects or ORM
        # statements: the relay only copies rows onto the wire, and it runs after nearly
        # every commit, where the ORM's per-statement work would be most of its cost.
        if self.session_factory.kw["bind"].dialect.name == "postgresql":
            with self.session_factory.begin() as session:
                unsent = session.connection().execute(self._unsent_locked)
                pending = [Pending(*row) for row in unsent]
                if not pending:
                    return 0
                failures = self._publish(connection, pending)
                return self._record(session, [event.id for event in pending], failures)
        with reading(self.session_factory) as session:
            pending = [Pending(*row) for row in session.connection().execute(self._unsent)]
        if not pending:
            return 0
        failures = self._publish(connection, pending)
        with self.session_factory.begin() as session:
            return self._record(session, [event.id for event in pending], failures)

    def _record(self, session: Session, ids: list[str], failures: dict[str, str]) -> int:
        """Mark the confirmed events sent and count an attempt on the refused ones."""
        connection = session.connection()
        sent = [event_id for event_id in ids if event_id not in failures]
        if failures and not sent:
            self._quiet_until = time.monotonic() + self.recheck_every
        if sent:
            connection.execute(self._mark_sent, {"ids": sent, "sent_time": utcnow()})
        if failures:
            now = utcnow()
            connection.execute(
                self._mark_refused,
                [
                    {"event_id": event_id, "error_text": error[:1000], "refused_time": now}
                    for event_id, error in failures.items()
                ],
            )
        return len(sent)

    def _publish(self, connection: BlockingConnection, events: list[Pending]) -> dict[str, str]:
        publisher = self._publisher
        if publisher is None or not publisher.serves(connection):
            publisher = self._publisher = BatchPublisher(connection)
        failures = publisher.publish(self.topology.exchange, events, timeout=self.confirm_timeout)
        for event_id, error in failures.items():
            # Left unsent: it is tried again on the next pass (until it is set aside after
            # max_attempts), never dropped. An unroutable event means no queue is bound
            # for it yet; the others go on.
            log.error(
                "outbox event not accepted by the broker",
                extra={"event_id": event_id, "error": error},
            )
        return failures


class BatchPublisher:
    """A confirming channel that publishes many messages, then waits for all their confirms.

    Messages go out `mandatory`: the broker returns an unroutable one before confirming it.

    Why pika's private `_impl` (the asynchronous channel under a BlockingChannel): pika's
    public API has no way to publish on a BlockingConnection without waiting for each
    confirm. `BlockingChannel.confirm_delivery()` takes no callback, and in confirm mode
    `BlockingChannel.basic_publish` returns only once that one message is confirmed (it
    raises UnroutableError or NackError otherwise), which costs one broker round trip (a
    quorum queue's disk write) per event. pika's documented way to stream confirms is its
    asynchronous adapters (`SelectConnection` and the asynchronous publisher example), whose
    `ioloop.start()` owns the thread: the worker's loop, which consumes on a
    BlockingConnection, could then not also run the relay on the same thread. So the batch
    is published on the channel's `_impl`, with the confirm and return callbacks of pika's
    public `Channel` API, while `BlockingConnection.process_data_events` (public) runs the
    I/O. `_impl` has been the attribute's name through pika 1.x; the relay's tests fail
    at once if it changes.
    """

    def __init__(self, connection: BlockingConnection) -> None:
        self.connection = connection
        self.channel = connection.channel()
        self._impl = self.channel._impl
        self._awaiting: dict[int, str] = {}  # delivery tag -> message id
        self._failures: dict[str, str] = {}
        self._returned: dict[str, str] = {}
        self._last_tag = 0
        selected: list[bool] = []
        self._impl.confirm_delivery(
            ack_nack_callback=self._on_confirm, callback=lambda _frame: selected.append(True)
        )
        self._impl.add_on_return_callback(self._on_return)
        self._wait_until(lambda: bool(selected), timeout=30.0)

    def serves(self, connection: BlockingConnection) -> bool:
        return connection is self.connection and self.channel.is_open

    def publish(self, exchange: str, events: list[Pending], *, timeout: float) -> dict[str, str]:
        """Publish `events` in order; return {message id: why} for those not accepted."""
        self._failures, self._returned = {}, {}
        for event in events:
            self._impl.basic_publish(
                exchange=exchange,
                routing_key=event.routing_key,
                body=event.body.encode(),
                properties=pika.BasicProperties(
                    content_type="application/json",
                    delivery_mode=pika.DeliveryMode.Persistent,
                    message_id=event.id,
                    type=event.event_type,
                    correlation_id=event.correlation_id,
                ),
                mandatory=True,
            )
            self._last_tag += 1
            self._awaiting[self._last_tag] = event.id
        self._wait_until(lambda: not self._awaiting, timeout=timeout)
        return self._failures

    def _on_confirm(self, frame: Method) -> None:
        method = frame.method
        tags = [method.delivery_tag]
        if method.multiple:
            tags = [tag for tag in self._awaiting if tag <= method.delivery_tag]
        refused = isinstance(method, Basic.Nack)
        for tag in tags:
            message_id = self._awaiting.pop(tag, None)
            if message_id is None:
                continue
            if refused:
                self._failures[message_id] = "NackError: the broker refused the message"
            elif message_id in self._returned:
                self._failures[message_id] = "UnroutableError: " + self._returned[message_id]

    def _on_return(self, _channel, method, properties, _body) -> None:
        self._returned[properties.message_id] = f"{method.reply_code} {method.reply_text}"

    def _wait_until(self, done: Callable[[], bool], *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if self.channel.is_closed:
                raise ChannelClosed(-1, "the publishing channel closed while awaiting confirms")
            if time.monotonic() > deadline:
                # Unconfirmed rows stay unsent; the worker reconnects and publishes them again.
                raise AMQPConnectionError("the broker did not confirm in time")
            self.connection.process_data_events(time_limit=0.001)
