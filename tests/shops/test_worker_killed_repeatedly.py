"""A shops worker killed again and again just after it connects dead-letters nothing its
handler would apply (issue: 33 good order.placed messages were dead-lettered after seven
kill -9s, because the broker counts a delivery to a worker that died against the queue's
delivery limit, and a worker holds up to `prefetch` unacknowledged messages).

The worker runs as a real process (`python -m services.shops.worker`) and is killed with
SIGKILL as soon as its /readyz says it is consuming and the broker has handed it every
message. Meanwhile the test holds the database's write lock, as a slow database would, so
the worker cannot acknowledge anything before it dies: each kill counts against every
message. Then a worker runs undisturbed and applies all of them.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import contextmanager

import psycopg
import pytest
import requests
from sqlalchemy import select
from sqlalchemy.engine import make_url

from services.common.contracts import encode, wrap
from services.common.messaging.topology import Topology
from services.shops.db import ParkedMessage, ShopOrder
from tests import support
from tests.e2e.system import REPO, free_port
from tests.shops.conftest import build_service, order_placed, publish

pytestmark = pytest.mark.integration

KILLS = 7
ORDERS = 30


@pytest.fixture
def service(database_url, amqp_prefix):
    built = build_service(database_url, amqp_prefix=amqp_prefix)
    # The broker's limit as deployed (the default backstop), not the small one other tests use.
    built.runtime.topology = Topology(prefix=amqp_prefix)
    yield built
    built.runtime.engine.dispose()


def start_worker(service, port: int) -> subprocess.Popen:
    settings = service.runtime.settings
    env = {
        **os.environ,
        "SHOPS_DATABASE_URL": settings.resolved_database_url(),
        "AMQP_URL": settings.amqp_url,
        "AMQP_PREFIX": settings.amqp_prefix,
        "SERVICE_TOKEN_SECRET": settings.service_token_secret,
        "SHOPS_WORKER_PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("AMQP_DELIVERY_LIMIT", None)
    return subprocess.Popen([sys.executable, "-m", "services.shops.worker"], cwd=REPO, env=env)


def ready(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200
    except requests.RequestException:
        return False


@contextmanager
def write_lock_held(database_url: str):
    """Hold the database so that no transaction of the worker can commit."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        connection = sqlite3.connect(url.database, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        return
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as connection:
        connection.execute("LOCK TABLE inbox IN ACCESS EXCLUSIVE MODE")
        yield
        connection.rollback()


def test_a_worker_killed_seven_times_after_connecting_dead_letters_nothing(service, seller):
    shop = service.open_shop(seller)
    service.patch_shop(seller, shop["id"], order_handling={"mode": "auto_accept"})
    listing = service.add_listing(seller, shop["id"], quantity=ORDERS)
    events = [order_placed(shop["id"], [(listing, 1)]) for _ in range(ORDERS)]
    publish(service, *((event, encode(wrap(event))) for event in events))
    topology = service.runtime.topology
    queue, dead_queue = topology.queue("shops"), topology.dead_letter_queue("shops")
    port = free_port()

    with write_lock_held(service.runtime.settings.resolved_database_url()):
        for _ in range(KILLS):
            worker = start_worker(service, port)
            try:
                support.wait_for(lambda: ready(port), timeout=30)
                # Every message is delivered to the worker and not acknowledged.
                support.wait_for(lambda: support.queue_depth(queue) == 0)
            finally:
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=10)
            support.wait_for(lambda: support.queue_depth(queue) == ORDERS)

    assert support.queue_depth(dead_queue) == 0
    worker = start_worker(service, port)
    try:
        support.wait_for(lambda: service.count(ShopOrder) == ORDERS, timeout=60)
        support.wait_for(lambda: support.queue_depth(queue) == 0)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert support.queue_depth(dead_queue) == 0
    with service.runtime.session_factory() as session:
        assert session.scalars(select(ParkedMessage)).all() == []
    ids = {event.shop_order_id for event in events}
    with service.runtime.session_factory() as session:
        assert set(session.scalars(select(ShopOrder.id))) == ids
