"""Notifications benchmark: events through RabbitMQ, the notifications worker and its
mail sender to a local SMTP sink.

    python bench/notify.py [--events 10000] [--buyers 100] [--rate 400] [--seed 1]

Starts the real worker and sender processes (`python -m services.notifications.worker`,
`python -m services.notifications.sender`) on a fresh SQLite database in a temporary
directory, with its own broker prefix, and an SMTP sink (aiosmtpd, in this process) that
records when it accepted each mail. Publishes, with
publisher confirms as a relay does, `--buyers` `account.updated` events, then
`order.confirmed` events (each one mail to its buyer) at `--rate` events a second (0: as
fast as they can be published), until `--events` in all.

The lag of a mail runs from its event's `occurred_at` (set as the event is published, the
moment the publishing service's transaction would have committed) to the sink's "250" for
it. The rate is mails over the time from the first event published to the last mail
accepted. stderr gives each process's CPU time. The last line is

    notify events=<n> mails=<n> mails_per_s=<x> p95_lag_ms=<x>
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

# Run as `python bench/<name>.py` from a checkout: the services live beside this folder.
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pika  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402

import services.notifications  # noqa: E402
from services.common.clock import utcnow  # noqa: E402
from services.common.contracts import (  # noqa: E402
    AccountUpdated,
    Buyer,
    Money,
    OrderConfirmed,
    OrderLine,
    OrderPartSummary,
    encode,
    wrap,
)
from services.common.messaging.topology import SERVICE_BINDINGS, Topology  # noqa: E402
from services.common.messaging.worker import connection_parameters  # noqa: E402
from services.common.migrations import upgrade_to_head  # noqa: E402
from services.notifications.domain import Kind, mail_id  # noqa: E402

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
_MESSAGE_ID = re.compile(rb"^Message-ID:\s*<([^@>]+)@", re.MULTILINE | re.IGNORECASE)


class Sink:
    """An SMTP server that accepts everything and notes when, per Message-ID."""

    def __init__(self) -> None:
        self.accepted: dict[str, float] = {}
        self.duplicates = 0

    async def handle_DATA(self, _server, _session, envelope) -> str:  # noqa: N802
        now = time.time()
        found = _MESSAGE_ID.search(envelope.content)
        if found is not None:
            key = found.group(1).decode()
            if key in self.accepted:
                self.duplicates += 1
            else:
                self.accepted[key] = now
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def order(rng: random.Random, buyer: tuple[str, str]) -> OrderConfirmed:
    def money(amount: int) -> Money:
        return Money(amount=amount, currency="EUR")

    parts = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        lines = [
            OrderLine(
                listing_id=str(uuid.UUID(int=rng.getrandbits(128))),
                title=f"Book {rng.randrange(100_000)}",
                quantity=rng.choice((1, 1, 2)),
                unit_price=money(rng.randrange(300, 5000)),
            )
            for _ in range(rng.choice((1, 1, 2, 3)))
        ]
        subtotal = sum(line.unit_price.amount * line.quantity for line in lines)
        parts.append(
            OrderPartSummary(
                shop_order_id=str(uuid.UUID(int=rng.getrandbits(128))),
                shop_id=f"shop-{rng.randrange(50)}",
                lines=lines,
                subtotal=money(subtotal),
                shipping=money(450),
            )
        )
    total = sum(p.subtotal.amount + p.shipping.amount for p in parts)
    return OrderConfirmed(
        order_id=str(uuid.UUID(int=rng.getrandbits(128))),
        buyer=Buyer(user_id=buyer[0], name=buyer[1]),
        parts=parts,
        total=money(total),
        placed_at=utcnow(),
    )


def publish_all(
    topology: Topology, rng: random.Random, *, events: int, buyers: int, rate: float
) -> tuple[dict[str, float], float]:
    """Publish the events; return {mail id: event time} and when the first went out."""
    connection = pika.BlockingConnection(connection_parameters(AMQP_URL))
    channel = connection.channel()
    topology.declare(channel)
    channel.confirm_delivery()
    properties = pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent)
    people = [(f"buyer-{n}", f"Buyer {n}") for n in range(buyers)]
    expected: dict[str, float] = {}
    started = time.time()
    for user_id, name in people:
        event = AccountUpdated(
            user_id=user_id,
            email=f"{user_id}@example.org",
            display_name=name,
            email_verified=True,
            revision=1,
        )
        channel.basic_publish(
            topology.exchange, event.routing_key(), encode(wrap(event)), properties, mandatory=True
        )
    for n in range(events - buyers):
        buyer = people[n % buyers]
        envelope = wrap(order(rng, buyer))
        if rate:
            # Paced: the n-th order leaves at its time, whatever the last publish cost.
            pause = started + (buyers + n) / rate - time.time()
            if pause > 0:
                time.sleep(pause)
        envelope = envelope.model_copy(update={"occurred_at": utcnow()})
        channel.basic_publish(
            topology.exchange, "order.confirmed", encode(envelope), properties, mandatory=True
        )
        key = mail_id(event_id=str(envelope.id), recipient=buyer[0], kind=Kind.ORDER_CONFIRMED)
        expected[key] = envelope.occurred_at.timestamp()
    connection.close()
    return expected, started


def delete_topology(topology: Topology) -> None:
    connection = pika.BlockingConnection(connection_parameters(AMQP_URL))
    channel = connection.channel()
    for service in SERVICE_BINDINGS:
        channel.queue_delete(topology.queue(service))
        channel.queue_delete(topology.dead_letter_queue(service))
    channel.exchange_delete(topology.exchange)
    channel.exchange_delete(topology.dead_letter_exchange)
    connection.close()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a running process so far (Linux: /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--buyers", type=int, default=100)
    parser.add_argument("--rate", type=float, default=400.0, help="events/s; 0: unpaced")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    if args.events <= args.buyers:
        parser.error("--events must be more than --buyers")
    rng = random.Random(args.seed)

    workdir = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    database_url = f"sqlite:///{workdir / 'notifications.db'}"
    upgrade_to_head(Path(services.notifications.__file__).parent / "migrations", database_url)
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    topology = Topology(prefix=f"bench-notify-{uuid.uuid4().hex[:8]}")
    env = dict(
        os.environ,
        NOTIFICATIONS_DATABASE_URL=database_url,
        AMQP_URL=AMQP_URL,
        AMQP_PREFIX=topology.prefix,
        SMTP_URL=f"smtp://127.0.0.1:{port}",
        DATA_DIR=str(workdir),
        LOG_LEVEL="WARNING",
    )
    processes = {
        name: subprocess.Popen(
            [sys.executable, "-m", f"services.notifications.{name}"], cwd=REPO, env=env
        )
        for name in ("worker", "sender")
    }
    cpu: dict[str, float] = {}
    try:
        expected, started = publish_all(
            topology, rng, events=args.events, buyers=args.buyers, rate=args.rate
        )
        published = time.time()
        deadline = time.monotonic() + args.timeout
        while len(sink.accepted) < len(expected) and time.monotonic() < deadline:
            for name, process in processes.items():
                if process.poll() is not None:
                    raise SystemExit(f"the {name} exited with {process.returncode}")
            time.sleep(0.05)
        time.sleep(0.5)  # a duplicate, if any, would come now
        cpu = {name: cpu_seconds(process.pid) for name, process in processes.items()}
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        controller.stop()
        delete_topology(topology)

    lags = sorted(
        (sink.accepted[key] - at) * 1000 for key, at in expected.items() if key in sink.accepted
    )
    mails = len(lags)
    last = max(sink.accepted.values()) if sink.accepted else published
    rate = mails / (last - started) if mails else 0.0
    p95 = lags[min(len(lags) - 1, int(len(lags) * 0.95))] if lags else float("nan")
    print(
        f"published {args.events} events in {published - started:.1f} s "
        f"(asked {args.rate or 'unpaced'}/s); mails accepted {mails}/{len(expected)}, "
        f"duplicates {sink.duplicates}; lag p50 {lags[len(lags) // 2] if lags else 0:.0f} ms, "
        f"max {lags[-1] if lags else 0:.0f} ms; CPU "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in cpu.items())
        + f"; load average {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )
    print(f"notify events={args.events} mails={mails} mails_per_s={rate:.1f} p95_lag_ms={p95:.0f}")


if __name__ == "__main__":
    main()
