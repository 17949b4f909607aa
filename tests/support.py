"""Helpers shared by the tests: real broker access, databases, workers on threads."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pika
import psycopg
from sqlalchemy.engine import make_url

from services.common.auth import Principal, issue_service_token, issue_token
from services.common.messaging.topology import Topology
from services.common.messaging.worker import Worker, connection_parameters
from services.common.migrations import upgrade_to_head

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "test-secret-for-service-tokens-0123456789"


def broker_available() -> bool:
    try:
        pika.BlockingConnection(connection_parameters(AMQP_URL)).close()
        return True
    except pika.exceptions.AMQPError:
        return False


def postgres_available() -> bool:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty database for one test and drop it afterwards."""
    name = "test_" + uuid.uuid4().hex[:16]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def delete_broker_objects(prefix: str) -> None:
    """Remove every exchange and queue a test created under its own prefix."""
    from services.common.messaging.topology import SERVICE_BINDINGS, Topology

    topology = Topology(prefix=prefix)
    connection = pika.BlockingConnection(connection_parameters(AMQP_URL))
    channel = connection.channel()
    for service in SERVICE_BINDINGS:
        channel.queue_delete(topology.queue(service))
        channel.queue_delete(topology.dead_letter_queue(service))
    channel.exchange_delete(topology.exchange)
    channel.exchange_delete(topology.dead_letter_exchange)
    connection.close()


def publish(topology: Topology, *messages: tuple[str, bytes]) -> None:
    """Publish (routing key, body) pairs to the topology's exchange as a service's relay
    would: persistent, mandatory, confirmed by the broker."""
    connection = pika.BlockingConnection(connection_parameters(AMQP_URL))
    try:
        channel = topology.declare(connection.channel())
        channel.confirm_delivery()
        for routing_key, body in messages:
            channel.basic_publish(
                topology.exchange,
                routing_key,
                body,
                pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent),
                mandatory=True,
            )
    finally:
        connection.close()


def token_for(user_id: str, name: str = "Test Person", shops: tuple[str, ...] = ()) -> str:
    return issue_token(Principal(user_id, name, frozenset(shops)), secret=SECRET)


def service_header(caller: str = "gateway") -> dict:
    """The header of a call `caller` makes as itself, not for a person."""
    return {"Authorization": f"Bearer {issue_service_token(caller, secret=SECRET)}"}


def auth_header(user_id: str, name: str = "Test Person", shops: tuple[str, ...] = ()) -> dict:
    return {"Authorization": f"Bearer {token_for(user_id, name, shops)}"}


class FreshAuthHeader(Mapping[str, str]):
    """`auth_header` minted anew at every use, for a module-level constant: a token made
    when the module is collected expires (two minutes) before a long run reaches it."""

    def __init__(self, user_id: str, name: str = "Test Person", shops: tuple[str, ...] = ()):
        self.user_id, self.name, self.shops = user_id, name, shops

    def __getitem__(self, key: str) -> str:
        return auth_header(self.user_id, self.name, self.shops)[key]

    def __iter__(self) -> Iterator[str]:
        return iter(("Authorization",))

    def __len__(self) -> int:
        return 1


_migrated_templates: dict[Path, Path] = {}
_templates_lock = threading.Lock()


def migrate(migrations_dir: Path, database_url: str) -> None:
    """Bring a test database to the latest schema.

    A SQLite file gets a copy of a database these migrations built once in this process:
    migrating from empty costs a quarter of a second per service, most of a short test's
    time. Other databases, and the tests of the migrations themselves, run them."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        upgrade_to_head(migrations_dir, database_url)
        return
    target = Path(url.database)
    if target.exists():
        upgrade_to_head(migrations_dir, database_url)
        return
    with _templates_lock:
        template = _migrated_templates.get(migrations_dir)
        if template is None:
            folder = tempfile.mkdtemp(prefix="migrated-")
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            template = Path(folder) / "template.db"
            upgrade_to_head(migrations_dir, f"sqlite:///{template}")
            _migrated_templates[migrations_dir] = template
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)


@contextmanager
def running(worker: Worker) -> Iterator[Worker]:
    """Run a worker on a thread (it opens its own connections there) and stop it after."""
    worker.stopping = False
    thread = threading.Thread(target=worker.run_forever, daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        worker.stop()
        thread.join(timeout=10)


def wait_for(condition: Callable[[], object], *, timeout: float = 15.0, every: float = 0.05):
    """Poll until `condition()` is truthy and return its value, or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(every)


def queue_depth(queue: str) -> int:
    """Ready messages in `queue`; 0 while the queue does not exist yet."""
    connection = pika.BlockingConnection(connection_parameters(AMQP_URL))
    try:
        return connection.channel().queue_declare(queue, passive=True).method.message_count
    except pika.exceptions.ChannelClosedByBroker as error:
        if error.reply_code == 404:
            return 0
        raise
    finally:
        if connection.is_open:
            connection.close()


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve a WSGI app on a free local port on a thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    # A short poll: shutdown() waits up to one poll interval, once per server and test.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
