"""A shops service on a fresh database (schema built by its migrations), plus factories."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

import services.shops
from services.common.contracts import Buyer, Event, Money, OrderLine, OrderPlaced, wrap
from services.common.messaging.consumer import Consumer
from services.common.migrations import upgrade_to_head
from services.common.runtime import Runtime
from services.shops.app import create_app
from services.shops.bootstrap import bootstrap
from services.shops.config import Settings
from services.shops.db import InboxMessage, Listing, OutboxMessage
from services.shops.uploads.processor import UploadProcessor
from services.shops.worker import HANDLERS
from tests import support

MIGRATIONS = Path(services.shops.__file__).parent / "migrations"


@dataclass
class Seller:
    user_id: str
    name: str

    def headers(self) -> dict[str, str]:
        # The token names no shops on purpose: the service's own table decides membership.
        return support.auth_header(self.user_id, self.name)


@dataclass
class ShopsService:
    runtime: Runtime
    client: FlaskClient

    def count(self, model: type) -> int:
        with self.runtime.session_factory() as session:
            return session.scalar(select(func.count()).select_from(model))

    def outbox(self, event_type: str | None = None) -> list[dict[str, Any]]:
        """The payloads staged in the outbox, oldest first."""
        query = select(OutboxMessage).order_by(OutboxMessage.seq)
        if event_type is not None:
            query = query.where(OutboxMessage.event_type == event_type)
        with self.runtime.session_factory() as session:
            return [json.loads(row.body)["payload"] for row in session.scalars(query)]

    def get(self, model: type, key: str):
        with self.runtime.session_factory() as session:
            return session.get(model, key)

    # --- factories through the API ---------------------------------------------------

    def open_shop(self, seller: Seller, **overrides: Any) -> dict[str, Any]:
        body = {"name": "Rue des Livres", "signature": "Camille, the bookseller"} | overrides
        response = self.client.post("/shops", json=body, headers=seller.headers())
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def add_listing(self, seller: Seller, shop_id: str, **overrides: Any) -> dict[str, Any]:
        response = self.client.post(
            f"/shops/{shop_id}/listings", json=listing_body(**overrides), headers=seller.headers()
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def get_listing_revisions(self, shop_id: str) -> dict[str, int]:
        with self.runtime.session_factory() as session:
            rows = session.execute(
                select(Listing.sku, Listing.revision).where(Listing.shop_id == shop_id)
            )
            return dict(rows.all())

    def patch_shop(self, seller: Seller, shop_id: str, **changes: Any):
        return self.client.patch(f"/shops/{shop_id}", json=changes, headers=seller.headers())

    def upload(self, seller: Seller, shop_id: str, text: str, filename: str = "stock.csv"):
        """Send an inventory file, then apply it as the worker would; the finished job."""
        response = self.client.post(
            f"/shops/{shop_id}/uploads?filename={filename}",
            data=text.encode(),
            headers=seller.headers(),
            content_type="text/csv",
        )
        assert response.status_code == 202, response.get_json()
        self.process_uploads()
        return self.client.get(
            f"/shops/{shop_id}/uploads/{response.get_json()['id']}", headers=seller.headers()
        ).get_json()

    def process_uploads(self, *, chunk_rows: int = 500) -> None:
        processor = UploadProcessor(self.runtime.session_factory, chunk_rows=chunk_rows)
        while processor.step():
            pass

    # --- driving the consumer without a broker --------------------------------------

    def consumer(self) -> Consumer:
        return Consumer(
            name="shops",
            queue=self.runtime.topology.queue("shops"),
            session_factory=self.runtime.session_factory,
            inbox_model=InboxMessage,
            handlers=HANDLERS,
        )

    def deliver(self, event: Any, envelope=None) -> bool:
        envelope = envelope or wrap(event)
        return self.consumer().apply(envelope, event, HANDLERS[type(event)])


def add_staff(shops: ShopsService, owner: Seller, shop_id: str, name: str = "Sam") -> Seller:
    staff = make_seller(name)
    response = shops.client.post(
        f"/shops/{shop_id}/members",
        json={"user_id": staff.user_id, "role": "staff"},
        headers=owner.headers(),
    )
    assert response.status_code == 201, response.get_json()
    return staff


def make_seller(name: str = "Camille") -> Seller:
    return Seller(user_id=str(uuid.uuid4()), name=name)


def listing_body(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "The Name of the Rose",
        "author": "Umberto Eco",
        "isbn": "978-0-15-144647-6",
        "condition": "good",
        "price": {"amount": 1250, "currency": "EUR"},
        "quantity": 2,
    } | overrides


def order_placed(
    shop_id: str, lines: list[tuple[dict[str, Any], int]], **overrides: Any
) -> OrderPlaced:
    """An OrderPlaced for `lines` of (listing as the API returns it, quantity)."""
    order_lines = [
        OrderLine(
            listing_id=listing["id"],
            title=listing["title"],
            quantity=quantity,
            unit_price=Money(**listing["price"]),
        )
        for listing, quantity in lines
    ]
    subtotal = sum(line.unit_price.amount * line.quantity for line in order_lines)
    fields: dict[str, Any] = {
        "order_id": str(uuid.uuid4()),
        "shop_order_id": str(uuid.uuid4()),
        "shop_id": shop_id,
        "buyer": Buyer(user_id=str(uuid.uuid4()), name="Ada Reader"),
        "lines": order_lines,
        "subtotal": Money(amount=subtotal, currency="EUR"),
        "shipping": Money(amount=450, currency="EUR"),
        "placed_at": datetime.now(UTC),
    }
    return OrderPlaced(**(fields | overrides))


def build_service(
    database_url: str, *, amqp_prefix: str = "shops-unused", migrate: bool = True
) -> ShopsService:
    if migrate:
        upgrade_to_head(MIGRATIONS, database_url)
    settings = Settings(
        database_url=database_url,
        amqp_url=support.AMQP_URL,
        amqp_prefix=amqp_prefix,
        service_token_secret=support.SECRET,
        amqp_delivery_limit=3,
    )
    runtime = bootstrap(settings)
    return ShopsService(runtime=runtime, client=create_app(runtime).test_client())


# --- the service on the broker -------------------------------------------------------


@pytest.fixture
def shops_on_broker(database_url, amqp_prefix):
    service = build_service(database_url, amqp_prefix=amqp_prefix)
    yield service
    service.runtime.engine.dispose()


def publish(service: ShopsService, *bodies: tuple[Event, bytes]) -> None:
    """Publish encoded envelopes to the service's exchange, as the orders relay would."""
    messages = [(event.routing_key(), body) for event, body in bodies]
    support.publish(service.runtime.topology, *messages)


def unsent(service: ShopsService) -> int:
    with service.runtime.session_factory() as session:
        return session.query(OutboxMessage).filter(OutboxMessage.sent_at.is_(None)).count()


# --- databases --------------------------------------------------------------------------
# Migrating a fresh database costs most of a test's time. The many small API tests get a
# copy of a database that the migrations built once per run; the tests that matter most
# (broker, concurrency, schema from empty) use the shared `database_url` fixture and run
# the migrations themselves.


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("shops-template") / "shops.db"
    upgrade_to_head(MIGRATIONS, f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    if not support.postgres_available():
        pytest.skip(f"PostgreSQL not reachable at {support.POSTGRES_URL} (TEST_POSTGRES_URL)")
    name = "shops_template_" + uuid.uuid4().hex[:10]
    with psycopg.connect(support.POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(support.POSTGRES_URL).set(drivername="postgresql+psycopg", database=name)
    upgrade_to_head(MIGRATIONS, url.render_as_string(hide_password=False))
    yield name
    with psycopg.connect(support.POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database at the latest schema, copied from the migrated template."""
    if request.param == "sqlite":
        path = tmp_path / "shops.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    name = "test_" + uuid.uuid4().hex[:16]
    with psycopg.connect(support.POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = make_url(support.POSTGRES_URL).set(drivername="postgresql+psycopg", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(support.POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def shops(migrated_url: str) -> Iterator[ShopsService]:
    service = build_service(migrated_url, migrate=False)
    yield service
    service.runtime.engine.dispose()


@pytest.fixture
def fresh_shops(database_url: str) -> Iterator[ShopsService]:
    """A service whose empty database is brought to the latest schema by the migrations."""
    service = build_service(database_url)
    yield service
    service.runtime.engine.dispose()


@pytest.fixture
def seller() -> Seller:
    return make_seller()
