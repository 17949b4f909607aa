"""The idempotent consumer: validate, apply once, commit, then ack.

- A message that matches no contract is rejected without requeue: the queue's dead-letter
  exchange moves it to `<queue>.dead` at once.
- A handler that raises is nacked with requeue; the quorum queue's delivery limit moves a
  message that keeps failing to the dead-letter queue, so it never blocks the others.
- The inbox row and the handler's effect commit together; only then is the message acked.

The worker hands over messages in batches (`take`): the batch is applied in one
transaction and acked with one frame, because a commit per message (a write lock and a
journal write each) is what bounds a worker's rate. If anything in the batch fails, the
transaction rolls back whole and each message is applied again on its own, so one bad
message costs its batch some speed and never another message's effect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pika.adapters.blocking_connection import BlockingChannel
from pika.spec import Basic, BasicProperties
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from services.common.contracts import ContractError, Envelope, Event, decode
from services.common.messaging.tables import InboxMixin, utcnow

log = logging.getLogger(__name__)

Handler = Callable[[Session, Any, Envelope], None]


@dataclass(frozen=True)
class Delivery:
    """A message as the broker delivered it, not yet acked."""

    tag: int
    body: bytes


@dataclass(frozen=True)
class _Decoded:
    tag: int
    envelope: Envelope
    event: Event
    handler: Handler


class Consumer:
    def __init__(
        self,
        *,
        name: str,
        queue: str,
        session_factory: sessionmaker,
        inbox_model: type[InboxMixin],
        handlers: dict[type[Event], Handler],
    ) -> None:
        self.name = name
        self.queue = queue
        self.session_factory = session_factory
        self.inbox_model = inbox_model
        self.handlers = handlers

    def on_message(
        self,
        channel: BlockingChannel,
        method: Basic.Deliver,
        _properties: BasicProperties,
        body: bytes,
    ) -> None:
        """Apply one message on its own (a batch of one)."""
        self.take(channel, [Delivery(method.delivery_tag, body)])

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
            applied = []
            for item, message_id in zip(batch, ids, strict=True):
                if message_id in done:
                    continue
                item.handler(session, item.event, item.envelope)
                applied.append(self._inbox_row(message_id, item.envelope.type))
                done.add(message_id)
            if applied:
                # One Core insert for the batch's inbox rows, after its handlers: added to
                # the session one by one, every handler's next query would flush one.
                session.execute(insert(model.__table__), applied)

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
            log.error("dead-lettering malformed message", extra={"error": str(error)[:500]})
            channel.basic_reject(delivery.tag, requeue=False)
            return None
        handler = self.handlers.get(type(event))
        if handler is None:
            log.warning("no handler; dropping", extra={"event_type": envelope.type})
            channel.basic_ack(delivery.tag)
            return None
        return _Decoded(delivery.tag, envelope, event, handler)

    def _apply_alone(self, channel: BlockingChannel, item: _Decoded) -> None:
        try:
            self.apply(item.envelope, item.event, item.handler)
        except Exception:
            log.exception(
                "handler failed; message requeued",
                extra={"event_type": item.envelope.type, "message_id": str(item.envelope.id)},
            )
            channel.basic_nack(item.tag, requeue=True)
            return
        channel.basic_ack(item.tag)

    def apply(self, envelope: Envelope, event: Event, handler: Handler) -> bool:
        """Run the handler once per message id; return False for a duplicate."""
        key = (self.name, str(envelope.id))
        try:
            with self.session_factory.begin() as session:
                if session.get(self.inbox_model, key) is not None:
                    return False
                handler(session, event, envelope)
                session.execute(
                    insert(self.inbox_model.__table__),
                    [self._inbox_row(str(envelope.id), envelope.type)],
                )
        except IntegrityError:
            # Another worker applied the same message concurrently and committed first.
            with self.session_factory() as session:
                if session.get(self.inbox_model, key) is not None:
                    return False
            raise
        return True
