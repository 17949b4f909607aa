"""The operator's command for messages set aside: list, show, replay.

python -m services.common.manage shops dead-letters list
python -m services.common.manage shops dead-letters show <id>
python -m services.common.manage shops dead-letters replay <id> | --all

`list` first takes whatever the broker dead-lettered for the service into its parked table
(when the broker is reachable), so both kinds are listed, shown and replayed alike. A replay
goes to the service's own queue; replaying twice changes nothing twice (the inbox).
"""

from __future__ import annotations

import argparse
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass

import pika
from pika.exceptions import AMQPConnectionError, ChannelClosedByBroker
from sqlalchemy import Table, select
from sqlalchemy.orm import sessionmaker

from services.common.db import make_engine, make_session_factory
from services.common.messaging.parking import replay, take_dead_letters
from services.common.messaging.topology import Topology
from services.common.messaging.worker import connection_parameters

Print = Callable[[str], None]


@dataclass
class Parked:
    """Where one service keeps its set-aside messages, and how to reach its queues."""

    service: str
    session_factory: sessionmaker
    table: Table
    topology: Topology
    amqp_url: str


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("list", "show", "replay"))
    parser.add_argument("id", nargs="?", help="a parked message's id (show, replay)")
    parser.add_argument("--all", action="store_true", help="replay every one not replayed yet")


def for_service(service: str) -> Parked:
    if service in ("gateway", "all"):
        raise SystemExit("dead-letters is per consuming service: shops, catalog or orders")
    package = f"services.{service}"
    settings = importlib.import_module(f"{package}.config").Settings()
    metadata = importlib.import_module(f"{package}.db").metadata
    if "parked_message" not in metadata.tables:
        raise SystemExit(f"{service} consumes no messages: it has nothing parked")
    engine = make_engine(settings.resolved_database_url())
    return Parked(
        service=service,
        session_factory=make_session_factory(engine),
        table=metadata.tables["parked_message"],
        topology=Topology(prefix=settings.amqp_prefix, delivery_limit=settings.amqp_delivery_limit),
        amqp_url=settings.amqp_url,
    )


def run(parked: Parked, args: argparse.Namespace, out: Print = print) -> int:
    if args.action == "list":
        return list_all(parked, out)
    if args.action == "show":
        if not args.id:
            raise SystemExit("show needs a message id: dead-letters show <id>")
        return show(parked, args.id, out)
    if bool(args.id) == bool(args.all):
        raise SystemExit("replay needs a message id or --all, not both")
    return replay_some(parked, None if args.all else [args.id], out)


def _connected(parked: Parked) -> pika.BlockingConnection:
    return pika.BlockingConnection(connection_parameters(parked.amqp_url))


def take_from_broker(parked: Parked) -> int:
    connection = _connected(parked)
    dead_queue = parked.topology.dead_letter_queue(parked.service)
    try:
        channel = connection.channel()
        try:
            channel.queue_declare(dead_queue, passive=True)
        except ChannelClosedByBroker as error:
            if error.reply_code == 404:  # no worker has declared the topology yet
                return 0
            raise
        return take_dead_letters(
            channel,
            parked.session_factory,
            parked.table,
            dead_queue=dead_queue,
            consumer=parked.service,
        )
    finally:
        if connection.is_open:
            connection.close()


def list_all(parked: Parked, out: Print) -> int:
    try:
        taken = take_from_broker(parked)
        if taken:
            out(f"{taken} message(s) taken from the dead-letter queue")
    except AMQPConnectionError as error:
        out(f"the broker is unreachable ({error!r}); listing what the database holds")
    table = parked.table
    with parked.session_factory() as session:
        rows = session.execute(select(table).order_by(table.c.parked_at)).mappings().all()
    if not rows:
        out("nothing parked or dead-lettered")
        return 0
    out("id  reason  event  failures  parked at  replayed  error")
    for row in rows:
        replayed = row["replayed_at"].isoformat() if row["replayed_at"] else "-"
        error = (row["error"] or "").splitlines()[0][:80] if row["error"] else ""
        out(
            f"{row['id']}  {row['reason']}  {row['event_type'] or '?'}  {row['failures']}  "
            f"{row['parked_at'].isoformat()}  {replayed}  {error}"
        )
    return len(rows)


def show(parked: Parked, message_id: str, out: Print) -> int:
    table = parked.table
    with parked.session_factory() as session:
        row = session.execute(select(table).where(table.c.id == message_id)).mappings().first()
    if row is None:
        raise SystemExit(f"no parked message {message_id!r}: see dead-letters list")
    shown = {name: row[name] for name in row.keys() if name not in ("body", "headers")}
    shown["headers"] = json.loads(row["headers"] or "{}")
    try:
        shown["body"] = json.loads(row["body"])
    except ValueError:
        shown["body"] = row["body"]
    out(json.dumps(shown, indent=2, default=str))
    return 1


def replay_some(parked: Parked, ids: list[str] | None, out: Print) -> int:
    connection = _connected(parked)
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        replayed = replay(
            channel,
            parked.session_factory,
            parked.table,
            queue=parked.topology.queue(parked.service),
            ids=ids,
        )
    finally:
        connection.close()
    if ids and not replayed:
        raise SystemExit(f"no parked message {ids[0]!r}: see dead-letters list")
    out(f"{len(replayed)} message(s) replayed to {parked.topology.queue(parked.service)}")
    return len(replayed)
