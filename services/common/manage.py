"""Operator commands shared by the services.

python -m services.common.manage shops migrate
python -m services.common.manage shops revision -m "add listing photos"
python -m services.common.manage shops dead-letters list|show|replay [id|--all]
python -m services.common.manage shops outbox stuck list|retry [id|--all]
python -m services.common.manage orders conflicts list
python -m services.common.manage gateway create-operator EMAIL [--name NAME] [--password-stdin]
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from alembic import command

from services.common import dead_letters, stuck_events
from services.common.migrations import alembic_config

SERVICES = ("shops", "catalog", "orders", "gateway", "notifications")


def service_paths(service: str) -> tuple[Path, str]:
    package = "gateway" if service == "gateway" else f"services.{service}"
    config = importlib.import_module(f"{package}.config")
    settings = config.Settings()
    migrations_dir = Path(importlib.import_module(package).__file__).parent / "migrations"
    return migrations_dir, settings.resolved_database_url()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="manage")
    parser.add_argument("service", choices=SERVICES + ("all",))
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the service's database to the latest schema")
    revision = sub.add_parser("revision", help="autogenerate a migration from the models")
    revision.add_argument("-m", "--message", required=True)
    parked = sub.add_parser("dead-letters", help="list, show or replay messages set aside")
    dead_letters.add_arguments(parked)
    outbox = sub.add_parser("outbox", help="list or retry events the broker kept refusing")
    stuck_events.add_arguments(outbox)
    conflicts = sub.add_parser("conflicts", help="events that contradicted a part's state")
    conflicts.add_argument("action", choices=("list",))
    conflicts.add_argument("--limit", type=int, default=100)
    operator = sub.add_parser(
        "create-operator", help="gateway only: an account for the platform's operator"
    )
    from gateway import operators

    operators.add_arguments(operator)
    args = parser.parse_args(argv)
    if args.command == "create-operator":
        if args.service != "gateway":
            raise SystemExit(
                "operators are accounts of the gateway: manage gateway create-operator"
            )
        operators.run(args)
        return
    if args.command == "conflicts":
        list_conflicts(args.service, limit=args.limit)
        return

    if args.command == "dead-letters":
        dead_letters.run(dead_letters.for_service(args.service), args)
        return

    if args.command == "outbox":
        stuck_events.run(stuck_events.for_service(args.service), args)
        return

    services = SERVICES if args.service == "all" else (args.service,)
    for service in services:
        migrations_dir, url = service_paths(service)
        config = alembic_config(migrations_dir, url)
        if args.command == "migrate":
            command.upgrade(config, "head")
            print(f"{service}: database at the latest schema")
        else:
            command.revision(config, message=args.message, autogenerate=True)


def list_conflicts(service: str, *, limit: int) -> None:
    from sqlalchemy.orm import sessionmaker

    from services.common.conflicts import format_conflict
    from services.common.conflicts import list_conflicts as newest
    from services.common.db import make_engine

    if service not in CONFLICT_SERVICES:
        raise SystemExit(f"only {' and '.join(CONFLICT_SERVICES)} keep saga conflicts")
    model = importlib.import_module(f"services.{service}.db").SagaConflict
    engine = make_engine(service_paths(service)[1])
    rows = newest(sessionmaker(engine), model, limit=limit)
    print("\n".join(format_conflict(row) for row in rows) or f"{service}: no conflicts")
    engine.dispose()


CONFLICT_SERVICES = ("shops", "orders")


if __name__ == "__main__":
    main()
