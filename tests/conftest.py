"""Fixtures for every test: a unique broker prefix, a fresh database per backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests import support


@pytest.fixture(scope="session")
def broker() -> str:
    """The real RabbitMQ. Integration tests need it; its absence is an error, not a skip."""
    if not support.broker_available():
        pytest.fail(
            f"RabbitMQ is not reachable at {support.AMQP_URL}. Start it with "
            "`rabbitmq-server -detached`, or install it with `apt-get install rabbitmq-server`."
        )
    return support.AMQP_URL


@pytest.fixture
def amqp_prefix(broker: str) -> Iterator[str]:
    prefix = "test-" + uuid.uuid4().hex[:10]
    yield prefix
    support.delete_broker_objects(prefix)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh, empty database: SQLite always, PostgreSQL when a server is reachable."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'service.db'}"
        return
    if not support.postgres_available():
        pytest.skip(f"PostgreSQL not reachable at {support.POSTGRES_URL} (TEST_POSTGRES_URL)")
    with support.fresh_postgres_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'service.db'}"
