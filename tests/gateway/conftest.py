"""Fixtures for the gateway: its own migrated database, and the real services on threads."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

import gateway
from gateway import accounts
from gateway.app import create_app
from gateway.bootstrap import bootstrap
from gateway.config import Settings
from services.common import geo
from tests import support
from tests.gateway.fakes import FakeServices, a_shop, seller_answers
from tests.gateway.helpers import sign_up

MIGRATIONS = Path(gateway.__file__).parent / "migrations"


@pytest.fixture(autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """argon2id with a tiny cost: the rules under test are the same, the suite stays fast."""
    accounts.set_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    accounts.set_password_hasher(accounts.DEFAULT_HASHER)


def unused_url() -> str:
    """A local address where nothing listens: a service that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


GatewayFactory = Callable[..., Flask]


@pytest.fixture
def make_gateway(tmp_path: Path) -> GatewayFactory:
    """Build a gateway on a fresh migrated SQLite database; services default to "down"."""

    def make(database_url: str | None = None, **settings: object) -> Flask:
        url = database_url or f"sqlite:///{tmp_path / 'gateway.db'}"
        support.migrate(MIGRATIONS, url)
        options: dict[str, object] = {
            "shops_url": unused_url(),
            "catalog_url": unused_url(),
            "orders_url": unused_url(),
            "service_timeout": 2.0,
        }
        options.update(settings)
        config = Settings(
            database_url=url, service_token_secret=support.SECRET, data_dir=tmp_path, **options
        )
        app = create_app(bootstrap(config))
        app.config["TESTING"] = True
        return app

    return make


@pytest.fixture
def app(make_gateway: GatewayFactory) -> Flask:
    return make_gateway()


# Page tests run against fakes; the few that need the real services say so by their file's
# name, so the slow ones are known and counted (the gateway's tests are a third of the run).
LIVE_FILES = ("_live.py", "test_fakes_contract.py")


def live_stack_allowed(path: Path) -> bool:
    return path.name.endswith(LIVE_FILES)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if "services" in getattr(item, "fixturenames", ()) and not live_stack_allowed(item.path):
        pytest.fail(
            f"{item.path.name} starts the live services: check the page against fakes "
            "(tests/gateway/fakes.py), or move a whole journey to a file named *_live.py",
            pytrace=False,
        )


@pytest.fixture
def services(tmp_path: Path, amqp_prefix: str):  # noqa: ANN201 - a stack.ServiceUrls
    from tests.gateway.stack import running_services

    # Towns load once per process, in a second or more: not inside a page's service timeout.
    geo.towns()

    with running_services(tmp_path, amqp_prefix) as urls:
        yield urls


@pytest.fixture
def live_gateway(make_gateway: GatewayFactory, services) -> Flask:  # noqa: ANN001
    """The gateway pointed at the real services."""
    return make_gateway(
        shops_url=services.shops_url,
        catalog_url=services.catalog_url,
        orders_url=services.orders_url,
    )


# --- pages against fake services (tests/gateway/fakes.py) ----------------------------------


@pytest.fixture
def fakes(app: Flask) -> FakeServices:
    """Fake services behind `app`: whatever a test does not answer is a service that is down."""
    return FakeServices().install(app)


@pytest.fixture
def portal(app: Flask, fakes: FakeServices) -> FlaskClient:
    """Mara, signed in, with one shop (fakes.a_shop(), id "shop-1") and nothing unread."""
    client = app.test_client()
    assert sign_up(client, email="mara@example.org", display_name="Mara").status_code == 302
    seller_answers(fakes, a_shop())
    return client
