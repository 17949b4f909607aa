"""The floor under an order: what one request, one message and one writing transaction cost
on this machine through the stack the services are built on, with none of their own work.

    python bench/floor.py [--count 5000] [--clients 16] [--batch 20]

- request: a JSON POST to a Flask view that parses the body and answers JSON, served by
  gunicorn with deploy/gunicorn.conf.py and sent by urllib3 clients over kept-alive
  connections, as bench/checkout.py sends its checkouts. CPU of the server and the clients.
- message: a persistent JSON message published in batches with confirms by the relays'
  BatchPublisher to the services' own topology (a topic exchange, quorum queues), consumed
  with pika and acknowledged in batches. CPU of the publisher, the broker and the consumer.
- transaction: a writing session of the services' own SQLite engine (WAL, BEGIN IMMEDIATE
  through the writer queue) inserting one row, one transaction after another.

An order in bench/checkout.py cannot take less than two requests (the checkout, and the
listing read again from its shop), two messages (order.placed, and the shop's answer) and
the checkout's two writing transactions (the authorization, then the order). The workers'
transactions are left out: a batch of messages shares one. The last line is that floor and
the most orders per second it leaves on this machine's cores:

    floor request_ms=<x> message_ms=<x> transaction_ms=<x> order_ms=<x> orders_per_s_ceiling=<x>
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pika
import urllib3
from flask import Flask, jsonify, request
from sqlalchemy import JSON, Column, MetaData, String, Table, insert

# Run as `python bench/floor.py` from a checkout: the broker helpers live in tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.checkout import cpu_seconds
from services.common.db import make_engine, make_session_factory
from services.common.messaging.relay import BatchPublisher, Pending
from services.common.messaging.topology import Topology
from services.common.messaging.worker import connection_parameters
from tests import support
from tests.e2e.system import REPO, free_port

# What one order of bench/checkout.py needs at the least (see the module's text).
REQUESTS_PER_ORDER, MESSAGES_PER_ORDER, TRANSACTIONS_PER_ORDER = 2, 2, 2
BODY = {
    "idempotency_key": str(uuid.UUID(int=0)),
    "address": {
        "name": "Bench Buyer",
        "street_address": "1 Bench Street",
        "city": "London",
        "postal_code": "SW1A 2AA",
        "country_code": "GB",
    },
    "card_number": "4242 4242 4242 4242",
}


def echo_app() -> Flask:
    """The least a JSON endpoint does: parse the body, answer JSON (gunicorn's app factory)."""
    app = Flask("floor")

    @app.post("/echo")
    def echo():
        return jsonify({"received": len(request.get_json())}), 201

    return app


def request_cost(count: int, clients: int) -> dict[str, float]:
    """CPU milliseconds per request: the gunicorn server's and the clients'."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}", "bench.floor:echo_app()"],
        cwd=REPO,
        env={**os.environ, "ACCESS_LOG": "", "LOG_LEVEL": "warning"},
        start_new_session=True,
    )
    http = urllib3.PoolManager(maxsize=clients)
    url, body = f"http://127.0.0.1:{port}/echo", json.dumps(BODY)
    sent_headers = {"Content-Type": "application/json", "Authorization": "Bearer " + "x" * 300}

    def post(_: int) -> None:
        response = http.request("POST", url, body=body, headers=sent_headers, timeout=30)
        if response.status != 201:
            raise RuntimeError(f"the echo server answered {response.status}")

    try:
        wait_for_port(port, server)
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(post, range(clients * 20)))  # every worker and connection warm
            before, client_before = cpu_seconds({server.pid: "server"}), time.process_time()
            list(pool.map(post, range(count)))
            client_s = time.process_time() - client_before
            server_s = cpu_seconds({server.pid: "server"})["server"] - before["server"]
    finally:
        http.clear()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {"server": server_s * 1000 / count, "clients": client_s * 1000 / count}


def wait_for_port(port: int, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode} before serving")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"gunicorn did not listen on port {port} within {timeout:.0f} s")


def message_cost(count: int, batch: int) -> dict[str, float]:
    """CPU milliseconds per message: the publisher's, the broker's and the consumer's."""
    topology = Topology(prefix="bench-floor-" + uuid.uuid4().hex[:10])
    parameters = connection_parameters(support.AMQP_URL)
    setup = pika.BlockingConnection(parameters)
    topology.declare(setup.channel())
    setup.close()
    # order.placed.<shop> goes to the shops' queue, a quorum queue as every service's is.
    body = json.dumps({"type": "order.placed", "data": BODY})
    events = [
        Pending(id=str(uuid.uuid4()), routing_key="order.placed.bench", event_type="t", body=body)
        for _ in range(count)
    ]
    consumer_s: list[float] = []
    consumer = threading.Thread(
        target=consume, args=(parameters, topology.queue("shops"), count, batch, consumer_s)
    )
    try:
        consumer.start()
        publishing = pika.BlockingConnection(parameters)
        publisher = BatchPublisher(publishing)
        before, publisher_before = cpu_seconds({}), time.thread_time()
        for start in range(0, count, batch):
            chunk = events[start : start + batch]
            refused = publisher.publish(topology.exchange, chunk, timeout=30)
            if refused:
                raise RuntimeError(f"the broker refused messages: {refused}")
        publisher_s = time.thread_time() - publisher_before
        consumer.join(timeout=120)
        broker_s = cpu_seconds({}).get("rabbitmq", 0.0) - before.get("rabbitmq", 0.0)
        publishing.close()
    finally:
        support.delete_broker_objects(topology.prefix)
    if not consumer_s:
        sys.exit("the consumer did not receive every message within two minutes")
    return {
        "publisher": publisher_s * 1000 / count,
        "broker": broker_s * 1000 / count,
        "consumer": consumer_s[0] * 1000 / count,
    }


def consume(parameters, queue: str, count: int, batch: int, used: list[float]) -> None:
    connection = pika.BlockingConnection(parameters)
    channel = connection.channel()
    channel.basic_qos(prefetch_count=batch * 5)
    started, received = time.thread_time(), 0
    for method, _properties, body in channel.consume(queue, inactivity_timeout=60):
        if method is None:
            break  # nothing for a minute: the publisher failed
        json.loads(body)
        received += 1
        if received % batch == 0 or received == count:
            channel.basic_ack(method.delivery_tag, multiple=True)
        if received == count:
            used.append(time.thread_time() - started)
            break
    channel.cancel()
    connection.close()


def transaction_cost(count: int) -> float:
    """CPU milliseconds per writing transaction inserting one row on SQLite."""
    rows = Table(
        "floor_rows", MetaData(), Column("id", String(36), primary_key=True), Column("body", JSON)
    )
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'floor.db'}")
        rows.metadata.create_all(engine)
        sessions, statement = make_session_factory(engine), insert(rows)
        try:
            before = time.process_time()
            for _ in range(count):
                with sessions.begin() as session:
                    session.execute(statement, {"id": str(uuid.uuid4()), "body": BODY})
            spent = time.process_time() - before
        finally:
            engine.dispose()
    return spent * 1000 / count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.floor", description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="of each: requests, messages…")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--batch", type=int, default=20, help="messages per confirm and ack")
    args = parser.parse_args(argv)
    if not support.broker_available():
        sys.exit(f"RabbitMQ is not reachable at {support.AMQP_URL}")
    requests_ms = request_cost(args.count, args.clients)
    print(" ".join(f"request_{k}_ms={v:.3f}" for k, v in requests_ms.items()), file=sys.stderr)
    messages_ms = message_cost(args.count, args.batch)
    print(" ".join(f"message_{k}_ms={v:.3f}" for k, v in messages_ms.items()), file=sys.stderr)
    transaction_ms = transaction_cost(args.count)
    request_ms, message_ms = sum(requests_ms.values()), sum(messages_ms.values())
    order_ms = (
        REQUESTS_PER_ORDER * request_ms
        + MESSAGES_PER_ORDER * message_ms
        + TRANSACTIONS_PER_ORDER * transaction_ms
    )
    ceiling = (os.cpu_count() or 1) * 1000 / order_ms
    print(
        f"floor request_ms={request_ms:.2f} message_ms={message_ms:.2f} "
        f"transaction_ms={transaction_ms:.2f} order_ms={order_ms:.2f} "
        f"orders_per_s_ceiling={ceiling:.0f}"
    )


if __name__ == "__main__":
    main()
