"""The outbox relay: publishes staged events with publisher confirms, then marks them sent.

A row is marked sent only after the broker confirmed it. A crash in between publishes the
row again on the next run; consumers drop the duplicate through their inbox.
"""

from __future__ import annotations

import logging

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pika.exceptions import NackError, UnroutableError
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from services.common.messaging.tables import OutboxMixin, utcnow
from services.common.messaging.topology import Topology

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        *,
        session_factory: sessionmaker,
        outbox_model: type[OutboxMixin],
        topology: Topology,
        batch_size: int = 500,
    ) -> None:
        self.session_factory = session_factory
        self.outbox_model = outbox_model
        self.topology = topology
        self.batch_size = batch_size

    def publish_pending(self, channel: BlockingChannel) -> int:
        """Publish one batch of unsent events on a confirming channel; return how many."""
        model = self.outbox_model
        published = 0
        with self.session_factory.begin() as session:
            query = (
                select(model)
                .where(model.sent_at.is_(None))
                .order_by(model.seq)
                .limit(self.batch_size)
            )
            if session.bind.dialect.name == "postgresql":
                # Two relays of one service (two worker replicas) never send the same rows.
                query = query.with_for_update(skip_locked=True)
            for row in session.scalars(query):
                try:
                    channel.basic_publish(
                        exchange=self.topology.exchange,
                        routing_key=row.routing_key,
                        body=row.body.encode(),
                        properties=pika.BasicProperties(
                            content_type="application/json",
                            delivery_mode=pika.DeliveryMode.Persistent,
                            message_id=row.id,
                            type=row.event_type,
                        ),
                        mandatory=True,
                    )
                except (UnroutableError, NackError) as error:
                    # Left unsent: it is tried again on the next pass, never dropped. An
                    # unroutable event means no queue is bound for it yet; the others go on.
                    row.attempts += 1
                    row.last_error = repr(error)[:1000]
                    log.error(
                        "outbox event not accepted by the broker",
                        extra={"event_id": row.id, "routing_key": row.routing_key},
                    )
                    continue
                row.sent_at = utcnow()
                row.attempts += 1
                published += 1
        return published
