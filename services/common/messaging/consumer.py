"""The idempotent consumer: validate, apply once, commit, then ack.

- A message that matches no contract is rejected without requeue: the queue's dead-letter
  exchange moves it to `<queue>.dead` at once.
- A handler that raises is nacked with requeue, and its failure is counted in the
  service's database (per message id). After `park_after` failures the message is parked:
  stored with its headers and error in the `parked_message` table, then acked, so it never
  blocks the others and an operator can replay it. The broker's delivery limit is only a
  high backstop: it also counts deliveries to a worker that died before acknowledging,
  which says nothing about the message.
- The inbox row and the handler's effect commit together; only then is the message acked.

The worker hands over messages in batches (`take`): the batch is applied in one
transaction and acked with one frame, because a commit per message (a write lock and a
journal write each) is what bounds a worker's rate. If anything in the batch fails, the
transaction rolls back whole and each message is applied again on its own, so one bad
message costs its batch some speed and never another message's effect; only a message
that fails on its own is counted as failing.

While a message is applied its correlation id (the message's `correlation_id` property)
is the current one, so the handler's log lines and the outbox rows it writes carry it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pika.adapters.blocking_connection import BlockingChannel
from pika.spec import Basic, BasicProperties
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from services.common import correlation
from services.common.clock import utcnow
from services.common.contracts import ContractError, Envelope, Event, decode
from services.common.messaging import metrics
from services.common.messaging.parking import park, properties_json, upsert
from services.common.messaging.tables import PARKED, InboxMixin

log = logging.getLogger(__name__)

Handler = Callable[[Session, Any, Envelope], None]


@dataclass(frozen=True)
class Delivery:
    """A message as the broker delivered it, not yet acked."""

    tag: int
    body: bytes
    routing_key: str = ""
    properties: BasicProperties | None = None
    # Delivered before (requeued after a failure, or left unacked by a worker that died).
    redelivered: bool = False

    @property
    def correlation_id(self) -> str | None:
        return self.properties.correlation_id if self.properties is not None else None


@dataclass(frozen=True)
class _Decoded:
    delivery: Delivery
    envelope: Envelope
    event: Event
    handler: Handler

    @property
    def tag(self) -> int:
        return self.delivery.tag


class Consumer:
    def __init__(
        self,
        *,
        name: str,
        queue: str,
        session_factory: sessionmaker,
        inbox_model: type[InboxMixin],
        handlers: dict[type[Event], Handler],
        park_after: int = 5,
        dead_queue: str | None = None,
    ) -> None:
        self.name = name
        self.queue = queue
        self.dead_queue = dead_queue or f"{queue}.dead"
        self.session_factory = session_factory
        self.inbox_model = inbox_model
        self.handlers = handlers
        self.park_after = park_after
        # Defined once in tables.py, added to each service's metadata beside its inbox.
        tables = inbox_model.metadata.tables
        self.failures = tables["message_failure"]
        self.parked = tables["parked_message"]

    def on_message(
        self,
        channel: BlockingChannel,
        method: Basic.Deliver,
        properties: BasicProperties,
        body: bytes,
    ) -> None:
        """Apply one message on its own (a batch of one)."""
        delivery = Delivery(
            method.delivery_tag, body, method.routing_key, properties, method.redelivered
        )
        self.take(channel, [delivery])

    def take(self, channel: BlockingChannel, deliveries: Sequence[Delivery]) -> None:
        """Apply a batch of deliveries in order, in one transaction when all goes well."""
        batch: list[_Decoded] = []
        for delivery in deliveries:
            decoded = self._decode(channel, delivery)
            if decoded is not None:
                batch.append(decoded)
        if len(batch) <= 1:
            for item in batch:
                self._apply_alone(channel, item)
            return
        try:
            self.apply_all(batch)
        except Exception:
            log.info("batch failed; applying its messages one by one", exc_info=True)
            for item in batch:
                self._apply_alone(channel, item)
            return
        channel.basic_ack(batch[-1].tag, multiple=True)

    def apply_all(self, batch: Sequence[_Decoded]) -> None:
        """Apply every message of the batch not applied before, in one transaction."""
        ids = [str(item.envelope.id) for item in batch]
        model = self.inbox_model
        with self.session_factory.begin() as session:
            done = set(
                session.scalars(
                    select(model.message_id).where(
                        model.consumer == self.name, model.message_id.in_(ids)
                    )
                )
            )
            applied, applied_items = [], []
            for item, message_id in zip(batch, ids, strict=True):
                if message_id in done:
                    metrics.DUPLICATES.labels(self.name, item.envelope.type).inc()
                    continue
                self._run_handler(session, item)
                applied.append(self._inbox_row(message_id, item.envelope.type))
                applied_items.append(item)
                done.add(message_id)
            if applied:
                # One Core insert for the batch's inbox rows, after its handlers: added to
                # the session one by one, every handler's next query would flush one.
                session.execute(insert(model.__table__), applied)
        metrics.BATCH_SIZE.labels(self.name).observe(len(applied))
        self._count_applied(applied_items)

    def _run_handler(self, session: Session, item: _Decoded) -> None:
        done = metrics.timed(self.name, item.envelope.type)
        with correlation.bound(item.delivery.correlation_id):
            item.handler(session, item.event, item.envelope)
            self._trace(item.envelope)
        done()

    def _trace(self, envelope: Envelope) -> None:
        # One line per message with LOG_LEVEL=DEBUG, to follow an order (its correlation
        # id) through every worker; at INFO it costs one level check.
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "message handled",
                extra={"event_type": envelope.type, "message_id": str(envelope.id)},
            )

    def _count_applied(self, items: Sequence[_Decoded]) -> None:
        now = utcnow()
        for item in items:
            metrics.APPLIED.labels(self.name, item.envelope.type).inc()
            metrics.INBOX_LAG.labels(self.name).observe(
                max(0.0, (now - item.envelope.occurred_at).total_seconds())
            )

    def _inbox_row(self, message_id: str, event_type: str) -> dict[str, object]:
        return {
            "consumer": self.name,
            "message_id": message_id,
            "event_type": event_type,
            "processed_at": utcnow(),
        }

    def _decode(self, channel: BlockingChannel, delivery: Delivery) -> _Decoded | None:
        """The message with its handler; None when it was settled here already."""
        try:
            envelope, event = decode(delivery.body)
        except ContractError as error:
            log.error(
                "dead-lettering malformed message",
                extra={"error": str(error)[:500], "correlation_id": delivery.correlation_id},
            )
            metrics.MALFORMED.labels(self.name).inc()
            channel.basic_reject(delivery.tag, requeue=False)
            return None
        handler = self.handlers.get(type(event))
        if handler is None:
            log.warning("no handler; dropping", extra={"event_type": envelope.type})
            channel.basic_ack(delivery.tag)
            return None
        return _Decoded(delivery, envelope, event, handler)

    def _apply_alone(self, channel: BlockingChannel, item: _Decoded) -> None:
        with correlation.bound(item.delivery.correlation_id):
            try:
                applied = self.apply(item.envelope, item.event, item.handler, item.delivery)
            except Exception as error:
                self._failed(channel, item, error)
                return
            if applied:
                metrics.BATCH_SIZE.labels(self.name).observe(1)
                self._count_applied([item])
            channel.basic_ack(item.tag)

    def apply(
        self,
        envelope: Envelope,
        event: Event,
        handler: Handler,
        delivery: Delivery | None = None,
    ) -> bool:
        """Run the handler once per message id; return False for a duplicate."""
        key = (self.name, str(envelope.id))
        try:
            with self.session_factory.begin() as session:
                if session.get(self.inbox_model, key) is not None:
                    metrics.DUPLICATES.labels(self.name, envelope.type).inc()
                    return False
                done = metrics.timed(self.name, envelope.type)
                handler(session, event, envelope)
                self._trace(envelope)
                done()
                session.execute(
                    insert(self.inbox_model.__table__),
                    [self._inbox_row(str(envelope.id), envelope.type)],
                )
                if delivery is not None and delivery.redelivered:
                    # It may have failed before: now that it went through, it starts afresh.
                    self._forget_failures(session, str(envelope.id))
        except IntegrityError:
            # Another worker applied the same message concurrently and committed first.
            with self.session_factory() as session:
                if session.get(self.inbox_model, key) is not None:
                    return False
            raise
        return True

    def _failed(self, channel: BlockingChannel, item: _Decoded, error: Exception) -> None:
        """Count the handler's failure; park the message once it failed often enough."""
        message_id, event_type = str(item.envelope.id), item.envelope.type
        metrics.FAILED.labels(self.name, event_type).inc()
        reason = f"{type(error).__name__}: {error}"[:2000]
        try:
            failures = self._count_failure(message_id, reason)
            if failures >= self.park_after:
                self._park(item, reason, failures)
        except Exception:
            # The database itself is failing: leave the message to the broker.
            log.exception("could not record a handler failure; message requeued")
            channel.basic_nack(item.tag, requeue=True)
            return
        extra = {"event_type": event_type, "message_id": message_id, "failures": failures}
        if failures >= self.park_after:
            log.error("handler failed %d times; message parked", failures, extra=extra)
            metrics.PARKED.labels(self.name).inc()
            channel.basic_ack(item.tag)
            return
        log.warning("handler failed; message requeued", exc_info=error, extra=extra)
        channel.basic_nack(item.tag, requeue=True)

    def _count_failure(self, message_id: str, reason: str) -> int:
        table = self.failures
        row = {
            "consumer": self.name,
            "message_id": message_id,
            "failures": 1,
            "last_error": reason,
            "last_failed_at": utcnow(),
        }
        with self.session_factory.begin() as session:
            statement = upsert(
                session,
                table,
                row,
                keys=("consumer", "message_id"),
                update={
                    "failures": table.c.failures + 1,
                    "last_error": reason,
                    "last_failed_at": row["last_failed_at"],
                },
            ).returning(table.c.failures)
            return int(session.execute(statement).scalar_one())

    def _park(self, item: _Decoded, reason: str, failures: int) -> None:
        with self.session_factory.begin() as session:
            park(
                session,
                self.parked,
                message_id=str(item.envelope.id),
                consumer=self.name,
                reason=PARKED,
                event_type=item.envelope.type,
                routing_key=item.delivery.routing_key,
                body=item.delivery.body,
                headers=properties_json(item.delivery.properties),
                error=reason,
                failures=failures,
            )
            # A replay gets park_after new tries.
            self._forget_failures(session, str(item.envelope.id))

    def _forget_failures(self, session: Session, message_id: str) -> None:
        table = self.failures
        session.execute(
            delete(table).where(table.c.consumer == self.name, table.c.message_id == message_id)
        )
