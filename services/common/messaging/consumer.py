"""The idempotent consumer: validate, apply once, commit, then ack.

- A message that matches no contract is rejected without requeue: the queue's dead-letter
  exchange moves it to `<queue>.dead` at once.
- A handler that raises is nacked with requeue; the quorum queue's delivery limit moves a
  message that keeps failing to the dead-letter queue, so it never blocks the others.
- The inbox row and the handler's effect commit together; only then is the message acked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pika.adapters.blocking_connection import BlockingChannel
from pika.spec import Basic, BasicProperties
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from services.common.contracts import ContractError, Envelope, Event, decode
from services.common.messaging.tables import InboxMixin

log = logging.getLogger(__name__)

Handler = Callable[[Session, Any, Envelope], None]


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
        tag = method.delivery_tag
        try:
            envelope, event = decode(body)
        except ContractError as error:
            log.error("dead-lettering malformed message", extra={"error": str(error)[:500]})
            channel.basic_reject(tag, requeue=False)
            return
        handler = self.handlers.get(type(event))
        if handler is None:
            log.warning("no handler; dropping", extra={"event_type": envelope.type})
            channel.basic_ack(tag)
            return
        try:
            self.apply(envelope, event, handler)
        except Exception:
            log.exception(
                "handler failed; message requeued",
                extra={"event_type": envelope.type, "message_id": str(envelope.id)},
            )
            channel.basic_nack(tag, requeue=True)
            return
        channel.basic_ack(tag)

    def apply(self, envelope: Envelope, event: Event, handler: Handler) -> bool:
        """Run the handler once per message id; return False for a duplicate."""
        key = (self.name, str(envelope.id))
        try:
            with self.session_factory.begin() as session:
                if session.get(self.inbox_model, key) is not None:
                    return False
                handler(session, event, envelope)
                session.add(
                    self.inbox_model(
                        consumer=self.name, message_id=str(envelope.id), event_type=envelope.type
                    )
                )
        except IntegrityError:
            # Another worker applied the same message concurrently and committed first.
            with self.session_factory() as session:
                if session.get(self.inbox_model, key) is not None:
                    return False
            raise
        return True
