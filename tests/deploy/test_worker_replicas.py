"""Two replicas of every worker side by side on one broker and PostgreSQL, as the k8s
Deployments may run them: every message is applied once and no outbox row is sent twice.

Orders are checked out through the orders API; two orders workers relay them, two shops
workers reserve and accept them (the shop accepts by itself), two orders workers capture
the money, and two catalog workers follow the listings' new stock. Each outbox row's
`attempts` counts how often a relay sent it, so 1 everywhere means nothing went twice.
"""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from sqlalchemy import func, select

from services.catalog import worker as catalog_worker
from services.catalog.db import InboxMessage as CatalogInbox
from services.catalog.db import OutboxMessage as CatalogOutbox
from services.common.messaging import metrics
from services.common.messaging.topology import Topology
from services.orders import db as orders_db
from services.orders import worker as orders_worker
from services.orders.domain.money import Money
from services.orders.listings import ListingInfo
from services.shops import worker as shops_worker
from services.shops.db import InboxMessage as ShopsInbox
from services.shops.db import Listing
from services.shops.db import OutboxMessage as ShopsOutbox
from services.shops.db import ShopOrder as ShopsShopOrder
from tests import support
from tests.catalog.conftest import build_catalog
from tests.orders.conftest import build_service as build_orders
from tests.shops.conftest import build_service as build_shops
from tests.shops.conftest import make_seller

pytestmark = pytest.mark.integration

ORDERS = 24
STOCK = 30


def count(runtime, query) -> int:
    with runtime.session_factory() as session:
        return session.scalar(query)


def sent_more_than_once(runtime, outbox) -> list[tuple[str, int]]:
    query = select(outbox.event_type, outbox.attempts).where(outbox.attempts != 1)
    with runtime.session_factory() as session:
        return [tuple(row) for row in session.execute(query)]


def duplicates(service: str) -> float:
    return sum(
        sample.value
        for family in metrics.DUPLICATES.collect()
        for sample in family.samples
        if sample.name.endswith("_total") and sample.labels["service"] == service
    )


@pytest.fixture
def databases():
    if not support.postgres_available():
        pytest.skip(f"PostgreSQL not reachable at {support.POSTGRES_URL}")
    with ExitStack() as stack:
        yield {
            name: stack.enter_context(support.fresh_postgres_database())
            for name in ("shops", "catalog", "orders")
        }


def test_two_of_each_worker_apply_every_message_once_and_send_every_event_once(
    databases, amqp_prefix, tmp_path
):
    shops = build_shops(databases["shops"], amqp_prefix=amqp_prefix)
    # The deployed delivery limit (the shops tests' own is small).
    shops.runtime.topology = Topology(prefix=amqp_prefix)
    orders = build_orders(databases["orders"], amqp_prefix, amqp_url=support.AMQP_URL)
    catalog = build_catalog(databases["catalog"], tmp_path, amqp_prefix=amqp_prefix)
    seller = make_seller()
    shop = shops.open_shop(seller, currency="EUR")
    shops.patch_shop(seller, shop["id"], order_handling={"mode": "auto_accept"})
    book = shops.add_listing(seller, shop["id"], quantity=STOCK)
    info = orders.listings.add(
        ListingInfo(
            id=book["id"],
            shop_id=shop["id"],
            shop_name=shop["name"],
            title=book["title"],
            price=Money(book["price"]["amount"], book["price"]["currency"]),
            quantity=STOCK,
        )
    )
    before = {name: duplicates(name) for name in ("shops", "orders", "catalog")}

    workers = [
        *(shops_worker.build(shops.runtime) for _ in range(2)),
        *(orders_worker.build(orders.runtime) for _ in range(2)),
        *(catalog_worker.build(catalog.runtime) for _ in range(2)),
    ]
    with ExitStack() as running:
        for worker in workers:
            running.enter_context(support.running(worker))
        for number in range(ORDERS):
            buyer = f"buyer-{number}"
            assert orders.add_to_cart(buyer, info).status_code in (200, 201)
            assert orders.checkout(buyer, key=f"key-{number}").status_code == 201

        captured = select(func.count()).where(orders_db.ShopOrder.captured_amount > 0)
        support.wait_for(lambda: count(orders.runtime, captured) == ORDERS, timeout=60)
        unsent = (
            (shops.runtime, select(func.count()).where(ShopsOutbox.sent_at.is_(None))),
            (orders.runtime, select(func.count()).where(orders_db.OutboxMessage.sent_at.is_(None))),
            (catalog.runtime, select(func.count()).where(CatalogOutbox.sent_at.is_(None))),
        )
        support.wait_for(lambda: all(count(r, q) == 0 for r, q in unsent), timeout=30)
        # Each part comes back to the shop once more: its payment confirmed.
        confirmed = select(func.count()).where(ShopsShopOrder.payment_status.is_not(None))
        support.wait_for(lambda: count(shops.runtime, confirmed) == ORDERS, timeout=30)
        to_catalog = select(func.count()).where(ShopsOutbox.routing_key.like("listing.%"))
        shop_updates = select(func.count()).where(ShopsOutbox.routing_key == "shop.updated")
        expected_in_catalog = count(shops.runtime, to_catalog) + count(shops.runtime, shop_updates)
        catalog_inbox = select(func.count()).select_from(CatalogInbox)
        support.wait_for(
            lambda: count(catalog.runtime, catalog_inbox) == expected_in_catalog, timeout=30
        )

    # Applied once: one reservation and one payment confirmation per order, the stock down
    # by exactly that much, one capture per part.
    assert count(shops.runtime, select(func.count()).select_from(ShopsShopOrder)) == ORDERS
    assert count(shops.runtime, select(func.count()).select_from(ShopsInbox)) == 2 * ORDERS
    assert count(shops.runtime, select(Listing.quantity)) == STOCK - ORDERS
    captures = select(func.count()).where(orders_db.EmbeddedPaymentOperation.kind == "capture")
    assert count(orders.runtime, captures) == ORDERS
    # Sent once: every outbox row of every service went out in one attempt, and no
    # consumer saw a message twice.
    for runtime, outbox in (
        (shops.runtime, ShopsOutbox),
        (orders.runtime, orders_db.OutboxMessage),
        (catalog.runtime, CatalogOutbox),
    ):
        assert sent_more_than_once(runtime, outbox) == []
    assert {name: duplicates(name) - before[name] for name in before} == {
        "shops": 0,
        "orders": 0,
        "catalog": 0,
    }
    for service in (shops, orders, catalog):
        service.runtime.engine.dispose()
