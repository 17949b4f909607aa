"""Checkout benchmark: orders placed over HTTP until the shop holds each one, reserved.

    python -m bench.checkout --orders 2000 [--clients 16] [--database sqlite|postgresql]

Starts the orders web app and worker and the shops web app and worker (the Procfile's
commands) on free ports with a temporary DATA_DIR and broker prefix, on SQLite files or
on fresh PostgreSQL databases (TEST_POSTGRES_URL names the server; dropped afterwards). It opens an
auto-accepting shop with one listing and plenty of stock, fills one cart per buyer (not
timed), then `--clients` threads check out concurrently, each order its own buyer. The
real path: HTTP checkout (card authorized by the embedded test provider) → the order and
its event in one transaction → the orders relay publishes with confirms → the shops worker
reserves the stock and auto-accepts → the orders worker captures the payment.

Latency runs from the moment the checkout request starts to the moment the shops worker
recorded the reserved order (its `received_at`, read from the shops database afterwards;
one machine, one clock). Throughput is orders over the time from the first
checkout request to the last reservation. The last line is

    checkout orders=<n> orders_per_s=<x> p50_ms=<x> p95_ms=<x>
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import requests
import urllib3
from sqlalchemy import create_engine, select

# Run as `python bench/<name>.py` from a checkout: the process harness lives in tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.common.auth import Principal, issue_token
from services.common.db import normalize_url
from services.shops.db import ShopOrder
from tests import support
from tests.e2e.system import System, make_system

PROCESSES = ("shops", "shops-worker", "orders", "orders-worker")


def start(workdir: Path, web_concurrency: str, database_urls: dict[str, str]) -> System:
    system = make_system(
        workdir,
        amqp_url=support.AMQP_URL,
        prefix="bench-" + uuid.uuid4().hex[:10],
        database_urls=database_urls,
    )
    system.env["WEB_CONCURRENCY"] = web_concurrency
    system.commands = {name: system.commands[name] for name in PROCESSES}
    system.migrate()
    for name in PROCESSES:
        system.start(name)
    system.wait_ready("shops")
    system.wait_ready("orders")
    return system


def cpu_seconds(sessions: dict[int, str]) -> dict[str, float]:
    """CPU time used so far by every process of each named session (its leader's pid; Linux
    /proc), and by the broker as "rabbitmq": where an order's cost goes."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended meanwhile
        command = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        session, seconds = int(fields[3]), (int(fields[11]) + int(fields[12])) / tick
        name = sessions.get(session) or ("rabbitmq" if command == "beam.smp" else None)
        if name:
            used[name] = used.get(name, 0.0) + seconds
    return used


def process_sessions(system: System) -> dict[int, str]:
    return {process.pid: name for name, process in system.processes.items()}


def headers(secret: str, user_id: str, shops: tuple[str, ...] = ()) -> dict[str, str]:
    token = issue_token(Principal(user_id, f"Buyer {user_id[:6]}", frozenset(shops)), secret=secret)
    return {"Authorization": f"Bearer {token}"}


def open_shop(system: System) -> str:
    """An auto-accepting shop with one listing that will not run out; returns the listing id."""
    shops, secret, owner = system.url("shops"), system.env["SERVICE_TOKEN_SECRET"], "bench-owner"
    shop = requests.post(
        f"{shops}/shops",
        json={"name": "Bench Books", "signature": "The bench", "country": "GB", "currency": "EUR"},
        headers=headers(secret, owner),
        timeout=10,
    ).json()
    member = headers(secret, owner, (shop["id"],))
    changed = requests.patch(
        f"{shops}/shops/{shop['id']}",
        json={"order_handling": {"mode": "auto_accept"}},
        headers=member,
        timeout=10,
    )
    if changed.status_code != 200:
        print(f"could not make the shop auto-accept: {changed.text}", file=sys.stderr)
    listing = requests.post(
        f"{shops}/shops/{shop['id']}/listings",
        json={"title": "The Bench", "price": {"amount": 1000}, "quantity": 100_000},
        headers=member,
        timeout=10,
    )
    listing.raise_for_status()
    return listing.json()["id"]


def fill_carts(system: System, listing_id: str, buyers: list[str], clients: int) -> None:
    orders, secret = system.url("orders"), system.env["SERVICE_TOKEN_SECRET"]

    def add(buyer: str) -> None:
        response = requests.post(
            f"{orders}/cart/lines",
            json={"listing_id": listing_id, "quantity": 1},
            headers=headers(secret, buyer),
            timeout=30,
        )
        response.raise_for_status()

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(add, buyers))


def check_out(system: System, buyers: list[str], clients: int) -> dict[str, float]:
    """Check every buyer out; return each part's id with the wall-clock time its request began."""
    orders, secret = system.url("orders"), system.env["SERVICE_TOKEN_SECRET"]
    started: dict[str, float] = {}
    lock = threading.Lock()
    # urllib3 rather than requests: the clients share the machine's two cores with the
    # services they load, and requests' own work per call is about twice urllib3's.
    http = urllib3.PoolManager(maxsize=clients)

    def buy(buyer: str) -> None:
        body = {
            "idempotency_key": buyer,
            "address": {
                "name": "Bench Buyer",
                "street_address": "1 Bench Street",
                "city": "London",
                "postal_code": "SW1A 2AA",
                "country_code": "GB",
            },
            "card_number": "4242 4242 4242 4242",
        }
        sent_headers = {**headers(secret, buyer), "Content-Type": "application/json"}
        began = time.time()
        response = http.request(
            "POST", f"{orders}/checkout", body=json.dumps(body), headers=sent_headers, timeout=60
        )
        if response.status != 201:
            print(f"checkout failed: {response.status} {response.data!r}", file=sys.stderr)
            return
        with lock:
            for part in json.loads(response.data)["parts"]:
                started[part["shop_order_id"]] = began

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(buy, buyers))
    http.clear()
    return started


def reserved_at(system: System, ids: set[str], timeout: float = 300) -> dict[str, float]:
    """When the shops worker recorded each part, read from its database."""
    url = system.env.get("SHOPS_DATABASE_URL") or (
        f"sqlite:///{Path(system.env['DATA_DIR']) / 'shops.db'}"
    )
    # A plain engine: its SQLite transactions begin deferred and never take the write lock.
    engine = create_engine(normalize_url(url))
    query = select(ShopOrder.id, ShopOrder.received_at).where(ShopOrder.stock_reserved)
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as db:
                rows = db.execute(query).all()
            found = {row.id: _epoch(row.received_at) for row in rows if row.id in ids}
            if len(found) == len(ids) or time.monotonic() > deadline:
                return found
            time.sleep(0.2)
    finally:
        engine.dispose()


def _epoch(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.checkout", description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--web-concurrency", default="2", help="gunicorn workers per web app")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args(argv)
    if not support.broker_available():
        sys.exit(f"RabbitMQ is not reachable at {support.AMQP_URL}")
    if args.database == "postgresql" and not support.postgres_available():
        sys.exit(f"PostgreSQL is not reachable at {support.POSTGRES_URL} (TEST_POSTGRES_URL)")
    buyers = [str(uuid.uuid4()) for _ in range(args.orders)]
    with tempfile.TemporaryDirectory(prefix="bench-checkout-") as scratch, ExitStack() as stack:
        database_urls = {}
        if args.database == "postgresql":
            database_urls = {
                service: stack.enter_context(support.fresh_postgres_database())
                for service in ("shops", "orders")
            }
        system = start(Path(scratch), args.web_concurrency, database_urls)
        try:
            listing_id = open_shop(system)
            fill_carts(system, listing_id, buyers, args.clients)
            cpu_before = cpu_seconds(process_sessions(system))
            client_cpu_before = time.process_time()
            first = time.time()
            started = check_out(system, buyers, args.clients)
            http_s = time.time() - first
            # The clients share the machine's cores with the services they load.
            client_cpu_s = time.process_time() - client_cpu_before
            reserved = reserved_at(system, set(started))
            cpu_after = cpu_seconds(process_sessions(system))
        finally:
            system.stop_all()
            support.delete_broker_objects(system.env["AMQP_PREFIX"])
    latencies = sorted((reserved[i] - started[i]) * 1000 for i in reserved)
    if not latencies:
        sys.exit("no order reached the shop")
    missing = len(started) - len(reserved)
    p50 = statistics.median(latencies)
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    per_s = len(latencies) / (max(reserved.values()) - first)
    print(
        f"checkout requests: {len(started)} placed in {http_s:.1f}s "
        f"({len(started) / http_s:.0f}/s over HTTP); {missing} not reserved; "
        f"max latency {latencies[-1]:.0f} ms",
        file=sys.stderr,
    )
    cpu_ms = {
        name: (cpu_after[name] - cpu_before.get(name, 0.0)) * 1000 / max(1, len(started))
        for name in sorted(cpu_after)
    }
    print(
        "cpu_ms_per_order "
        + " ".join(f"{name}={ms:.1f}" for name, ms in cpu_ms.items())
        + f" total={sum(cpu_ms.values()):.1f}"
        + f" (and the benchmark's own clients {client_cpu_s * 1000 / max(1, len(started)):.1f})",
        file=sys.stderr,
    )
    figures = f"orders_per_s={per_s:.0f} p50_ms={p50:.0f} p95_ms={p95:.0f}"
    print(f"checkout orders={len(latencies)} {figures}")
    print(f"database={args.database} clients={args.clients}", file=sys.stderr)


if __name__ == "__main__":
    main()
