"""The operator's command for outbox events the broker kept refusing: list, retry.

python -m services.common.manage shops outbox stuck list
python -m services.common.manage shops outbox stuck retry <id> | --all

The relay sets an event aside after OUTBOX_MAX_ATTEMPTS refusals (an unroutable event: no
queue is bound for its routing key yet; or one the broker nacked), so it stops holding back
the events behind it. Once the cause is fixed (the consuming service deployed, its binding
declared), `retry` hands the event back to the relay with a fresh count of attempts; the
relay sends it on its next pass, and a consumer's inbox drops it if it arrives twice.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Table, select, update
from sqlalchemy.orm import sessionmaker

from services.common.db import make_engine, make_session_factory

Print = Callable[[str], None]


@dataclass
class Outbox:
    service: str
    session_factory: sessionmaker
    table: Table


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("which", choices=("stuck",), help="the events set aside")
    parser.add_argument("action", choices=("list", "retry"))
    parser.add_argument("id", nargs="?", help="an outbox event's id (retry)")
    parser.add_argument("--all", action="store_true", help="retry every event set aside")


def for_service(service: str) -> Outbox:
    if service == "all":
        raise SystemExit("outbox is per service: shops, catalog, orders, gateway or notifications")
    package = "gateway" if service == "gateway" else f"services.{service}"
    settings = importlib.import_module(f"{package}.config").Settings()
    metadata = importlib.import_module(f"{package}.db").metadata
    engine = make_engine(settings.resolved_database_url())
    return Outbox(
        service=service,
        session_factory=make_session_factory(engine),
        table=metadata.tables["outbox"],
    )


def run(outbox: Outbox, args: argparse.Namespace, out: Print = print) -> int:
    if args.action == "list":
        return list_stuck(outbox, out)
    if bool(args.id) == bool(args.all):
        raise SystemExit("retry needs an event id or --all, not both")
    return retry(outbox, None if args.all else [args.id], out)


def _stuck(table: Table):
    return table.c.sent_at.is_(None) & table.c.stuck_at.is_not(None)


def list_stuck(outbox: Outbox, out: Print) -> int:
    table = outbox.table
    query = select(table).where(_stuck(table)).order_by(table.c.seq)
    with outbox.session_factory() as session:
        rows = session.execute(query).mappings().all()
    if not rows:
        out(f"{outbox.service}: no outbox event set aside")
        return 0
    out("id  event  routing key  attempts  created at  set aside at  last error")
    for row in rows:
        error = (row["last_error"] or "").splitlines()[0][:80] if row["last_error"] else ""
        out(
            f"{row['id']}  {row['event_type']}  {row['routing_key']}  {row['attempts']}  "
            f"{row['created_at'].isoformat()}  {row['stuck_at'].isoformat()}  {error}"
        )
    return len(rows)


def retry(outbox: Outbox, ids: list[str] | None, out: Print) -> int:
    table = outbox.table
    statement = update(table).where(_stuck(table)).values(stuck_at=None, attempts=0)
    if ids is not None:
        statement = statement.where(table.c.id.in_(ids))
    with outbox.session_factory.begin() as session:
        count = session.execute(statement).rowcount
    if ids and not count:
        raise SystemExit(f"no outbox event {ids[0]!r} set aside: see outbox stuck list")
    out(f"{count} event(s) handed back to the relay")
    return count
