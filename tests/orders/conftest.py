"""An orders service on a real database, its schema built by its migrations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.common.runtime import Runtime
from services.orders import db
from services.orders.app import create_app
from services.orders.bootstrap import bootstrap
from services.orders.config import Settings
from tests import support
from tests.orders.factories import InMemoryListings, listing, postal_address

MIGRATIONS = Path(db.__file__).parent / "migrations"


@dataclass
class OrdersService:
    runtime: Runtime
    client: FlaskClient
    listings: InMemoryListings

    def add_to_cart(self, user: str, info, quantity: int = 1):
        return self.client.post(
            "/cart/lines",
            json={"listing_id": info.id, "quantity": quantity},
            headers=support.auth_header(user),
        )

    def checkout(
        self,
        user: str,
        key: str = "key-1",
        *,
        country: str = "GB",
        address: dict[str, str] | None = None,
        **overrides: str | None,
    ):
        """Check out with a good address of `country` (or `address` as it is)."""
        body = {
            "idempotency_key": key,
            "address": address if address is not None else postal_address(country),
            "card_number": "4242 4242 4242 4242",
            **overrides,
        }
        body = {name: value for name, value in body.items() if value is not None}
        return self.client.post("/checkout", json=body, headers=support.auth_header(user))

    def order_in_cart(self, user: str, *infos, **checkout: str) -> dict:
        """Put one of each listing in the cart, check out and return the order."""
        for info in infos or (self.listings.add(listing()),):
            assert self.add_to_cart(user, info).status_code in (200, 201)
        response = self.checkout(user, **checkout)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def count(self, model: type) -> int:
        with self.runtime.session_factory() as session:
            return session.scalar(select(func.count()).select_from(model))

    def outbox(self) -> list[db.OutboxMessage]:
        with self.runtime.session_factory() as session:
            return list(session.scalars(select(db.OutboxMessage).order_by(db.OutboxMessage.seq)))


def build_service(
    database_url: str, amqp_prefix: str = "unused", **settings_overrides: object
) -> OrdersService:
    support.migrate(MIGRATIONS, database_url)
    settings = Settings(
        database_url=database_url,
        amqp_prefix=amqp_prefix,
        service_token_secret=support.SECRET,
        **settings_overrides,
    )
    runtime = bootstrap(settings)
    listings = InMemoryListings()
    app = create_app(runtime, listings=listings)
    return OrdersService(runtime=runtime, client=app.test_client(), listings=listings)


@pytest.fixture
def orders(database_url: str) -> Iterator[OrdersService]:
    service = build_service(database_url)
    yield service
    service.runtime.engine.dispose()


@pytest.fixture
def orders_on_sqlite(sqlite_url: str) -> Iterator[OrdersService]:
    """For tests of request handling alone, where the database engine makes no difference."""
    service = build_service(sqlite_url)
    yield service
    service.runtime.engine.dispose()


@pytest.fixture
def orders_on_broker(database_url: str, amqp_prefix: str) -> Iterator[OrdersService]:
    service = build_service(database_url, amqp_prefix)
    yield service
    service.runtime.engine.dispose()
