"""Moving a service's queue to new arguments (a new delivery limit) without losing a message.

A queue's arguments never change: RabbitMQ refuses a redeclaration with other arguments
(PRECONDITION_FAILED), and a policy cannot raise a delivery limit given as an argument (of
the two, the lower applies). So a queue declared with an older limit is re-created:

Nothing is done while another consumer (a worker of the previous version) is attached to
the old queue: deleting it would lose the messages that consumer holds unacknowledged,
and quorum queues do not support deleting only when unused. The queue is used as it is
until a later start finds it free. Otherwise:

1. a holding queue with the new arguments is bound to the same routing keys, so from now
   on every new message reaches it as well;
2. the old queue's messages are moved into it (published with confirms, then acked);
3. the old queue is deleted;
4. the queue is declared again with the new arguments and bound; the holding queue is
   unbound, its messages moved into the new queue, and it is deleted.

Replicas starting together take turns (an exclusive queue is the lock); the one that
waits connects again after a pause and finds the queue re-created. A message may arrive
twice (in both queues while both are bound); consumers drop the second through their
inbox, as they drop any redelivery.
"""

from __future__ import annotations

import logging

from pika.adapters.blocking_connection import BlockingChannel
from pika.exceptions import (
    AMQPConnectionError,
    ChannelClosedByBroker,
    NackError,
    UnroutableError,
)

log = logging.getLogger(__name__)

RESOURCE_LOCKED = 405
PRECONDITION_FAILED = 406


def move_messages(channel: BlockingChannel, source: str, target: str) -> int:
    """Move every ready message of `source` to `target`; return how many.

    `channel` must have publisher confirms on: a message is acked in `source` only once
    the broker has taken it into `target`."""
    moved = 0
    while True:
        method, properties, body = channel.basic_get(source, auto_ack=False)
        if method is None:
            return moved
        channel.basic_publish("", target, body, properties, mandatory=True)
        channel.basic_ack(method.delivery_tag)
        moved += 1


def migrate(
    channel: BlockingChannel,
    *,
    queue: str,
    exchange: str,
    keys: tuple[str, ...],
    arguments: dict[str, object],
) -> tuple[BlockingChannel, bool]:
    """Re-create `queue` with `arguments`, keeping its messages. Returns the channel to go
    on with and whether the queue has the new arguments now (False: a consumer still uses
    the old one)."""
    # One worker at a time: an exclusive queue belongs to one connection, and the broker
    # refuses it to any other (RESOURCE_LOCKED) until that connection closes.
    lock = f"{queue}.migrating"
    try:
        channel.queue_declare(lock, exclusive=True, auto_delete=True)
    except ChannelClosedByBroker as error:
        if error.reply_code != RESOURCE_LOCKED:
            raise
        raise AMQPConnectionError(f"another worker is re-creating {queue}") from error
    try:
        channel.queue_declare(queue, durable=True, arguments=arguments)
        return channel, True  # another worker re-created it meanwhile
    except ChannelClosedByBroker as error:
        if error.reply_code != PRECONDITION_FAILED:
            raise
    channel = channel.connection.channel()
    try:
        return _recreate(channel, queue=queue, exchange=exchange, keys=keys, arguments=arguments)
    finally:
        if channel.is_open:
            channel.queue_delete(lock)


def _recreate(
    channel: BlockingChannel,
    *,
    queue: str,
    exchange: str,
    keys: tuple[str, ...],
    arguments: dict[str, object],
) -> tuple[BlockingChannel, bool]:
    holding = f"{queue}.moving"
    in_use = channel.queue_declare(queue, passive=True).method.consumer_count
    if in_use:
        log.warning(
            "queue in use by another consumer; left with its old arguments until a later start",
            extra={"queue": queue, "consumers": in_use},
        )
        return channel, False
    channel.confirm_delivery()
    channel.queue_declare(holding, durable=True, arguments=arguments)
    for key in keys:
        channel.queue_bind(holding, exchange, routing_key=key)
    moved = move_messages(channel, queue, holding)
    channel.queue_delete(queue)
    channel.queue_declare(queue, durable=True, arguments=arguments)
    for key in keys:
        channel.queue_bind(queue, exchange, routing_key=key)
    _retire(channel, holding, queue, exchange, keys)
    log.warning(
        "queue re-created with new arguments",
        extra={
            "queue": queue,
            "moved": moved,
            "arguments": {k: str(v) for k, v in arguments.items()},
        },
    )
    return channel, True


def _retire(
    channel: BlockingChannel, holding: str, queue: str, exchange: str, keys: tuple[str, ...]
) -> None:
    """Unbind the holding queue, move what it holds into `queue`, delete it."""
    for key in keys:
        channel.queue_unbind(holding, exchange, routing_key=key)
    move_messages(channel, holding, queue)
    channel.queue_delete(holding)


def declare_or_migrate(
    channel: BlockingChannel,
    *,
    queue: str,
    exchange: str,
    keys: tuple[str, ...],
    arguments: dict[str, object],
    own: bool,
) -> BlockingChannel:
    """Declare `queue`; when it exists with other arguments, re-create it if it is the
    caller's own queue, else use it as it is (its own service's worker re-creates it)."""
    try:
        channel.queue_declare(queue, durable=True, arguments=arguments)
        return channel
    except ChannelClosedByBroker as error:
        if error.reply_code != PRECONDITION_FAILED:
            raise
        log.warning(
            "queue declared earlier with other arguments",
            extra={"queue": queue, "broker_said": error.reply_text[:300]},
        )
    channel = channel.connection.channel()
    if own:
        try:
            moving, _migrated = migrate(
                channel, queue=queue, exchange=exchange, keys=keys, arguments=arguments
            )
        except (ChannelClosedByBroker, UnroutableError, NackError) as error:
            # Something changed under the move (a message taken and not yet moved goes
            # back to its queue with the channel): the worker connects again after a
            # pause and tries again.
            raise AMQPConnectionError(f"{queue} is being re-created: {error!r}") from error
        # The caller goes on with a channel without publisher confirms, as it had.
        fresh = moving.connection.channel()
        moving.close()
        return fresh
    channel.queue_declare(queue, passive=True)
    return channel
