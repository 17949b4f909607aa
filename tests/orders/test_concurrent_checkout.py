"""Fifty buyers race for the last copy, through the real shops service and both workers.

Orders and shops each run their own app (HTTP, threads) and worker on the real broker,
with SQLite or PostgreSQL databases. Every checkout passes (stock is checked before any
reservation); the shops worker then reserves atomically: one part holds the copy and is
accepted by the auto-accepting shop, 49 are declined, and the orders worker captures the
one part's money and voids exactly those 49 parts' money.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

import services.shops
from services.orders import db
from services.orders.app import create_app as create_orders_app
from services.orders.bootstrap import bootstrap as bootstrap_orders
from services.orders.config import Settings as OrdersSettings
from services.orders.worker import build as build_orders_worker
from services.shops.app import create_app as create_shops_app
from services.shops.bootstrap import bootstrap as bootstrap_shops
from services.shops.config import Settings as ShopsSettings
from services.shops.worker import build as build_shops_worker
from tests import support
from tests.orders.conftest import MIGRATIONS as ORDERS_MIGRATIONS
from tests.orders.factories import postal_address
from tests.orders.test_with_real_shops import list_a_book
from tests.support import serving

pytestmark = pytest.mark.integration

SHOPS_MIGRATIONS = Path(services.shops.__file__).parent / "migrations"
BUYERS = 50


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request: pytest.FixtureRequest, tmp_path) -> Iterator[tuple[str, str]]:
    """Fresh, empty databases for the shops and the orders service, in that order."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shops.db'}", f"sqlite:///{tmp_path / 'orders.db'}"
        return
    if not support.postgres_available():
        pytest.skip(f"PostgreSQL not reachable at {support.POSTGRES_URL} (TEST_POSTGRES_URL)")
    with support.fresh_postgres_database() as shops, support.fresh_postgres_database() as orders:
        yield shops, orders


def test_checkout_fifty_buyers_for_the_last_copy_sell_it_once(databases, amqp_prefix):
    shops_db, orders_db = databases
    support.migrate(SHOPS_MIGRATIONS, shops_db)
    support.migrate(ORDERS_MIGRATIONS, orders_db)
    common = {"amqp_prefix": amqp_prefix, "service_token_secret": support.SECRET}
    shops = bootstrap_shops(ShopsSettings(database_url=shops_db, **common))
    with serving(create_shops_app(shops)) as shops_url:
        orders = bootstrap_orders(
            OrdersSettings(database_url=orders_db, shops_url=shops_url, **common)
        )
        with serving(create_orders_app(orders)) as orders_url:
            book = list_a_book(shops_url, quantity=1)
            # The shop accepts on its own: the part that holds the copy ends accepted.
            owner = support.auth_header("seller-1", "Margaret", shops=(book["shop_id"],))
            requests.patch(
                f"{shops_url}/shops/{book['shop_id']}",
                json={"order_handling": {"mode": "auto_accept"}},
                headers=owner,
                timeout=5,
            ).raise_for_status()

            def buy(n: int) -> int:
                buyer = support.auth_header(f"buyer-{n}", f"Buyer {n}")
                added = requests.post(
                    f"{orders_url}/cart/lines",
                    json={"listing_id": book["id"], "quantity": 1},
                    headers=buyer,
                    timeout=30,
                )
                assert added.status_code == 201, added.text
                placed = requests.post(
                    f"{orders_url}/checkout",
                    json={
                        "idempotency_key": f"key-{n}",
                        "address": postal_address("GB", name=f"Buyer {n}"),
                        "card_number": "4242424242424242",
                    },
                    headers=buyer,
                    timeout=30,
                )
                return placed.status_code

            with ThreadPoolExecutor(max_workers=BUYERS) as pool:
                statuses = list(pool.map(buy, range(BUYERS)))
            assert statuses == [201] * BUYERS

            with (
                support.running(build_shops_worker(shops)),
                support.running(build_orders_worker(orders)),
            ):
                parts = support.wait_for(
                    lambda: (
                        (found := part_statuses(orders))
                        and found["declined"] + found["accepted"] == BUYERS
                        and found
                    ),
                    timeout=60,
                )
                listing = requests.get(f"{shops_url}/listings/{book['id']}", timeout=5).json()
                assert listing["quantity"] == 0

                # The same order.placed published again (a relay crash before marking it
                # sent) reserves nothing twice: the shops' inbox drops the message id.
                republish_one_order_placed(orders)
                support.wait_for(lambda: all_sent(orders))
                shops_queue = shops.topology.queue("shops")
                support.wait_for(lambda: support.queue_depth(shops_queue) == 0)
                again = requests.get(f"{shops_url}/listings/{book['id']}", timeout=5).json()

    assert parts == Counter(declined=49, accepted=1)
    with orders.session_factory() as session:
        operations = Counter(session.scalars(select(db.EmbeddedPaymentOperation.kind)))
    assert (operations["void"], operations["capture"]) == (49, 1)
    assert again["quantity"] == 0
    shops.engine.dispose()
    orders.engine.dispose()


def part_statuses(runtime) -> Counter:
    with runtime.session_factory() as session:
        return Counter(session.scalars(select(db.ShopOrder.status)))


def all_sent(runtime) -> bool:
    with runtime.session_factory() as session:
        return (
            session.scalar(select(db.OutboxMessage).where(db.OutboxMessage.sent_at.is_(None)))
            is None
        )


def republish_one_order_placed(runtime) -> None:
    with runtime.session_factory.begin() as session:
        row = session.scalars(
            select(db.OutboxMessage).where(db.OutboxMessage.event_type == "order.placed")
        ).first()
        row.sent_at = None
