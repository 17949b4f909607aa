"""The broker's shape: one topic exchange for events, one dead-letter exchange, and one
durable quorum queue per consuming service.

Every worker declares the whole topology on start (declarations are idempotent), so a
publisher never sends into an exchange where its consumer's queue does not exist yet: with
`mandatory=True` that would be refused, and without it silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from pika.adapters.blocking_connection import BlockingChannel

from services.common.messaging.queue_migration import declare_or_migrate

# Which routing keys each service's queue receives. deploy/rabbitmq/definitions.json is the
# same picture for operators who pre-provision the broker.
SERVICE_BINDINGS: dict[str, tuple[str, ...]] = {
    "shops": (
        "order.placed.*",
        "order.cancelled",
        "order.extra_charge_answered",
        "order.payment_captured",
        "order.payment_failed",
        "order.cancellation_requested",
        # Only passed on to the shop's webhooks (services/shops/webhooks).
        "review.posted",
        "message.posted",
    ),
    "catalog": ("listing.*", "shop.updated", "review.posted", "review.hidden"),
    "orders": ("shop_order.*", "shop.members_changed"),
    # The events someone must hear of by mail, and the ones that say who to tell.
    "notifications": (
        "order.confirmed",
        "shop_order.awaiting_answer",
        "shop_order.accepted",
        "shop_order.declined",
        "shop_order.shipped",
        "shop_order.ready_to_collect",
        "shop_order.extra_charge_proposed",
        "order.extra_charge_answered",
        "order.payment_captured",
        "message.posted",
        "review.posted",
        "want.matched",
        "shop.updated",
        "shop.members_changed",
        "shop.webhook_disabled",
        "shop.suspension_changed",
        "account.updated",
        "account.deleted",
        "account.notice",
    ),
}

# Keys a service's queue no longer receives. A broker keeps a binding until it is removed,
# so every worker removes these as it declares the topology (removing one that is not
# there is no error).
RETIRED_BINDINGS: dict[str, tuple[str, ...]] = {
    # Written in the same transaction as the order's parts, order.confirmed describes every
    # one of them: the notifications service needs no copy of each part's own event.
    "notifications": ("order.placed.*",),
}


@dataclass(frozen=True)
class Topology:
    prefix: str = "storefront"
    # A high backstop: consumers park a message whose handler keeps failing themselves
    # (consumer.py), because the broker also counts deliveries to a worker that died.
    delivery_limit: int = 50

    @property
    def exchange(self) -> str:
        return f"{self.prefix}.events"

    @property
    def dead_letter_exchange(self) -> str:
        return f"{self.prefix}.dead-letter"

    def queue(self, service: str) -> str:
        return f"{self.prefix}.{service}"

    def dead_letter_queue(self, service: str) -> str:
        return f"{self.prefix}.{service}.dead"

    def declare(self, channel: BlockingChannel, *, own: str | None = None) -> BlockingChannel:
        """Declare everything; return the channel to go on with (a new one when the
        broker refused a queue's arguments and closed the one given).

        A queue declared earlier with other arguments (an older delivery limit) is
        re-created with its messages when it is `own`, the calling worker's service's
        queue (queue_migration.py), and otherwise used as it is."""
        channel.exchange_declare(self.exchange, exchange_type="topic", durable=True)
        channel.exchange_declare(self.dead_letter_exchange, exchange_type="direct", durable=True)
        for service, keys in SERVICE_BINDINGS.items():
            channel = self._declare_queue(channel, service, keys, own=service == own)
        return channel

    def queue_arguments(self, service: str) -> dict[str, object]:
        return {
            "x-queue-type": "quorum",
            # RabbitMQ 3.x quorum queues redeliver forever unless told otherwise.
            "x-delivery-limit": self.delivery_limit,
            "x-dead-letter-exchange": self.dead_letter_exchange,
            "x-dead-letter-routing-key": self.queue(service),
        }

    def _declare_queue(
        self, channel: BlockingChannel, service: str, keys: tuple[str, ...], *, own: bool
    ) -> BlockingChannel:
        queue = self.queue(service)
        dead = self.dead_letter_queue(service)
        channel.queue_declare(dead, durable=True, arguments={"x-queue-type": "quorum"})
        channel.queue_bind(dead, self.dead_letter_exchange, routing_key=queue)
        channel = declare_or_migrate(
            channel,
            queue=queue,
            exchange=self.exchange,
            keys=keys,
            arguments=self.queue_arguments(service),
            own=own,
        )
        for key in keys:
            channel.queue_bind(queue, self.exchange, routing_key=key)
        for key in RETIRED_BINDINGS.get(service, ()):
            channel.queue_unbind(queue, self.exchange, routing_key=key)
        return channel


def broker_definitions(topology: Topology, *, vhost: str = "/") -> dict:
    """The same topology as RabbitMQ definitions, for operators who pre-provision brokers."""
    exchanges = [
        {
            "name": topology.exchange,
            "vhost": vhost,
            "type": "topic",
            "durable": True,
            "auto_delete": False,
            "internal": False,
            "arguments": {},
        },
        {
            "name": topology.dead_letter_exchange,
            "vhost": vhost,
            "type": "direct",
            "durable": True,
            "auto_delete": False,
            "internal": False,
            "arguments": {},
        },
    ]
    queues, bindings = [], []
    for service, keys in SERVICE_BINDINGS.items():
        queue, dead = topology.queue(service), topology.dead_letter_queue(service)
        queues.append(
            {
                "name": dead,
                "vhost": vhost,
                "durable": True,
                "auto_delete": False,
                "arguments": {"x-queue-type": "quorum"},
            }
        )
        queues.append(
            {
                "name": queue,
                "vhost": vhost,
                "durable": True,
                "auto_delete": False,
                "arguments": topology.queue_arguments(service),
            }
        )
        bindings.append(
            {
                "source": topology.dead_letter_exchange,
                "vhost": vhost,
                "destination": dead,
                "destination_type": "queue",
                "routing_key": queue,
                "arguments": {},
            }
        )
        for key in keys:
            bindings.append(
                {
                    "source": topology.exchange,
                    "vhost": vhost,
                    "destination": queue,
                    "destination_type": "queue",
                    "routing_key": key,
                    "arguments": {},
                }
            )
    return {"exchanges": exchanges, "queues": queues, "bindings": bindings}


if __name__ == "__main__":
    import json

    print(json.dumps(broker_definitions(Topology()), indent=2))
