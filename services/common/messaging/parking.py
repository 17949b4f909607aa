"""Messages set aside for an operator: stored, listed, shown and replayed.

Two kinds end up in a service's `parked_message` table: messages its consumer parked after
their handler failed `MESSAGE_PARK_AFTER` times, and messages the broker dead-lettered
(malformed ones, or the rare one past the broker's high delivery limit), taken from the
service's dead-letter queue by `take_dead_letters`. A replay publishes the stored body
to the service's own queue only (through the default exchange), so the other services
bound to the same routing key never see it again; replaying twice changes nothing twice,
since the consumer's inbox drops a message id it has applied.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pika.spec import BasicProperties
from sqlalchemy import Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import Insert

from services.common.clock import utcnow
from services.common.contracts import ContractError, decode
from services.common.messaging.tables import DEAD_LETTERED

log = logging.getLogger(__name__)


def upsert(
    session: Session,
    table: Table,
    row: Mapping[str, Any],
    *,
    keys: Sequence[str],
    update: Mapping[str, Any],
) -> Insert:
    """INSERT ... ON CONFLICT (keys) DO UPDATE, on SQLite and PostgreSQL alike: two
    workers failing on the same message at once must both be counted."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**row)
    return statement.on_conflict_do_update(index_elements=list(keys), set_=dict(update))


def properties_json(properties: BasicProperties | None, **more: Any) -> str:
    """What an operator needs of a message's properties, as JSON."""
    found: dict[str, Any] = {}
    if properties is not None:
        for name in ("message_id", "correlation_id", "type", "content_type", "headers"):
            value = getattr(properties, name, None)
            if value is not None:
                found[name] = value
    found.update(more)
    return json.dumps(found, default=str, sort_keys=True)


def _body_text(body: bytes) -> tuple[str, str]:
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(body).decode(), "base64"


def park(
    session: Session,
    table: Table,
    *,
    message_id: str,
    consumer: str,
    reason: str,
    event_type: str | None,
    routing_key: str | None,
    body: bytes,
    headers: str,
    error: str | None,
    failures: int,
) -> None:
    """Store a message for an operator; parking it again (after a replay that failed
    again) brings it back to the list with the new error."""
    text, encoding = _body_text(body)
    if encoding != "utf-8":
        headers = json.dumps({**json.loads(headers), "body_encoding": encoding}, sort_keys=True)
    now = utcnow()
    row = {
        "id": message_id,
        "consumer": consumer,
        "reason": reason,
        "event_type": event_type,
        "routing_key": routing_key,
        "body": text,
        "headers": headers,
        "error": error,
        "failures": failures,
        "parked_at": now,
        "replayed_at": None,
        "replays": 0,
    }
    changes = {name: row[name] for name in ("reason", "headers", "error", "failures", "parked_at")}
    changes["replayed_at"] = None
    session.execute(upsert(session, table, row, keys=("id",), update=changes))


def take_dead_letters(
    channel: BlockingChannel,
    session_factory: sessionmaker,
    table: Table,
    *,
    dead_queue: str,
    consumer: str,
    limit: int = 10_000,
) -> int:
    """Move what the broker dead-lettered into the parked table; return how many.

    Each message is acked only after its row is committed: a crash in between leaves it
    in the queue, and taking it again only rewrites the same row."""
    taken = 0
    while taken < limit:
        method, properties, body = channel.basic_get(dead_queue, auto_ack=False)
        if method is None:
            break
        message_id, event_type, error = _identify(body, properties)
        with session_factory.begin() as session:
            park(
                session,
                table,
                message_id=message_id,
                consumer=consumer,
                reason=DEAD_LETTERED,
                event_type=event_type,
                routing_key=_original_routing_key(properties) or method.routing_key,
                body=body,
                headers=properties_json(properties),
                error=error,
                failures=_delivery_count(properties),
            )
        channel.basic_ack(method.delivery_tag)
        taken += 1
    return taken


def _identify(body: bytes, properties: BasicProperties) -> tuple[str, str | None, str | None]:
    """The message's id and type, and why it cannot be applied if that is visible here."""
    try:
        envelope, _event = decode(body)
        return str(envelope.id), envelope.type, _death_reason(properties)
    except ContractError as problem:
        message_id = properties.message_id or hashlib.sha256(body).hexdigest()
        return message_id[:64], properties.type, str(problem)[:2000]


def _deaths(properties: BasicProperties) -> list[dict[str, Any]]:
    deaths = (properties.headers or {}).get("x-death") or []
    return [death for death in deaths if isinstance(death, dict)]


def _death_reason(properties: BasicProperties) -> str | None:
    deaths = _deaths(properties)
    return f"dead-lettered by the broker: {deaths[0].get('reason')}" if deaths else None


def _original_routing_key(properties: BasicProperties) -> str | None:
    for death in _deaths(properties):
        keys = death.get("routing-keys") or []
        if keys:
            key = keys[0]
            return key.decode() if isinstance(key, bytes) else str(key)
    return None


def _delivery_count(properties: BasicProperties) -> int:
    count = (properties.headers or {}).get("x-delivery-count")
    return int(count) if isinstance(count, int) else 0


def replay(
    channel: BlockingChannel,
    session_factory: sessionmaker,
    table: Table,
    *,
    queue: str,
    ids: Sequence[str] | None,
) -> list[str]:
    """Publish parked messages again to `queue`: those named by `ids`, or, with None,
    every one not replayed yet. `channel` must have publisher confirms on."""
    with session_factory() as session:
        query = select(table.c.id, table.c.body, table.c.headers, table.c.event_type)
        if ids is None:
            query = query.where(table.c.replayed_at.is_(None))
        else:
            query = query.where(table.c.id.in_(list(ids)))
        rows = session.execute(query.order_by(table.c.parked_at)).all()
    replayed = []
    for message_id, text, headers_text, event_type in rows:
        headers = json.loads(headers_text or "{}")
        body = base64.b64decode(text) if headers.get("body_encoding") == "base64" else text.encode()
        # Mandatory and confirmed: a replay that the broker did not take raises here, and
        # the row stays as it was.
        channel.basic_publish(
            "",
            queue,
            body,
            pika.BasicProperties(
                content_type=headers.get("content_type", "application/json"),
                delivery_mode=pika.DeliveryMode.Persistent,
                message_id=headers.get("message_id", message_id),
                correlation_id=headers.get("correlation_id"),
                type=event_type,
            ),
            mandatory=True,
        )
        with session_factory.begin() as session:
            session.execute(
                update(table)
                .where(table.c.id == message_id)
                .values(replayed_at=utcnow(), replays=table.c.replays + 1)
            )
        replayed.append(message_id)
    return replayed
