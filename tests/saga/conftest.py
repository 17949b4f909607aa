"""Both sides of the order saga on the real broker: the orders service and the shops
service, each on its own database, their workers on threads.

The buyer checks out through the orders API (test client); the seller answers through the
shops API. The listings the orders side reads at checkout come from a stand-in for the
shops service's listing reads (tests/orders/factories.py) that names the same listings,
shop and prices as the shops database holds.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from services.orders import db as orders_db
from services.orders.domain.money import Money
from services.orders.listings import ListingInfo
from services.orders.worker import build as build_orders_worker
from services.shops import db as shops_db
from services.shops.app import create_app as create_shops_app
from services.shops.bootstrap import bootstrap as bootstrap_shops
from services.shops.config import Settings as ShopsSettings
from services.shops.worker import build as build_shops_worker
from tests import support
from tests.orders.conftest import OrdersService
from tests.orders.conftest import build_service as build_orders
from tests.shops.conftest import MIGRATIONS as SHOPS_MIGRATIONS
from tests.shops.conftest import Seller, ShopsService, make_seller

GOOD_CARD = "4242 4242 4242 4242"
CAPTURE_FAILS = "4000 0000 0000 0341"
PRICE = 1500


@dataclass
class Saga:
    orders: OrdersService
    shops: ShopsService
    seller: Seller = field(default_factory=make_seller)
    shop: dict[str, Any] = field(default_factory=dict)
    listing: ListingInfo | None = None

    # --- setting up ----------------------------------------------------------------------

    def open_shop(self, *, quantity: int = 100) -> None:
        """A shop answering by hand, with one book in stock, known to both sides."""
        self.shop = self.shops.open_shop(self.seller, currency="EUR")
        listed = self.shops.add_listing(
            self.seller,
            self.shop["id"],
            quantity=quantity,
            price={"amount": PRICE, "currency": "EUR"},
        )
        self.listing = self.orders.listings.add(
            ListingInfo(
                id=listed["id"],
                shop_id=self.shop["id"],
                shop_name=self.shop["name"],
                title=listed["title"],
                price=Money(PRICE, "EUR"),
                quantity=quantity,
            )
        )

    # --- the buyer -----------------------------------------------------------------------

    def checkout(self, buyer: str, *, card: str = GOOD_CARD, key: str | None = None) -> dict:
        """One copy of the book, ordered by `buyer`; the order as the API answers."""
        assert self.orders.add_to_cart(buyer, self.listing).status_code in (200, 201)
        response = self.orders.checkout(buyer, key=key or str(uuid.uuid4()), card_number=card)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def ask_to_cancel(self, buyer: str, order: dict, *, reason: str = "") -> Any:
        part = order["parts"][0]
        return self.orders.client.post(
            f"/orders/{order['id']}/parts/{part['shop_order_id']}/cancel",
            json={"reason": reason} if reason else None,
            headers=support.auth_header(buyer),
        )

    def buyer_part(self, buyer: str, order: dict) -> dict:
        page = self.orders.client.get(
            f"/orders/{order['id']}", headers=support.auth_header(buyer)
        ).get_json()
        return page["parts"][0]

    # --- the seller ----------------------------------------------------------------------

    def seller_does(self, part_id: str, action: str, **body: Any) -> Any:
        return self.shops.client.post(
            f"/shops/{self.shop['id']}/orders/{part_id}/{action}",
            json=body,
            headers=self.seller.headers(),
        )

    def ship(self, part_id: str) -> Any:
        return self.seller_does(part_id, "ship", note="Thank you! Happy reading.")

    def seller_view(self, part_id: str) -> dict:
        return self.shops.client.get(
            f"/shops/{self.shop['id']}/orders/{part_id}", headers=self.seller.headers()
        ).get_json()

    # --- both sides ----------------------------------------------------------------------

    @contextmanager
    def workers(self) -> Iterator[None]:
        with (
            support.running(build_orders_worker(self.orders.runtime)),
            support.running(build_shops_worker(self.shops.runtime)),
        ):
            yield

    def parts(self) -> dict[str, dict[str, Any]]:
        """Every part as each side holds it: the orders side's status and ledger, the shop
        side's status and payment."""
        with self.orders.runtime.session_factory() as session:
            orders_side = {row.id: row for row in session.scalars(select(orders_db.ShopOrder))}
        with self.shops.runtime.session_factory() as session:
            shops_side = {row.id: row for row in session.scalars(select(shops_db.ShopOrder))}
        parts = {}
        for part_id, row in orders_side.items():
            shop_row = shops_side.get(part_id)
            parts[part_id] = {
                "orders": row.status,
                "shops": shop_row.status if shop_row else None,
                "payment": shop_row.payment_status if shop_row else None,
                "authorized": row.authorized_amount,
                "captured": row.captured_amount,
                "voided": row.voided_amount,
                "refunded": row.refunded_amount,
            }
        return parts

    def stock(self) -> int:
        assert self.listing is not None
        return self.shops.get(shops_db.Listing, self.listing.id).quantity

    def conflicts(self) -> list[Any]:
        found = []
        for service, model in (
            (self.orders, orders_db.SagaConflict),
            (self.shops, shops_db.SagaConflict),
        ):
            with service.runtime.session_factory() as session:
                found += list(session.scalars(select(model)))
        return found

    def outbox(self, event_type: str) -> list[dict]:
        """What the orders side staged of `event_type`, oldest first."""
        return [
            json.loads(row.body)["payload"]
            for row in self.orders.outbox()
            if row.event_type == event_type
        ]


def shops_service(database_url: str, *, amqp_url: str, amqp_prefix: str) -> ShopsService:
    support.migrate(SHOPS_MIGRATIONS, database_url)
    settings = ShopsSettings(
        database_url=database_url,
        amqp_url=amqp_url,
        amqp_prefix=amqp_prefix,
        service_token_secret=support.SECRET,
    )
    runtime = bootstrap_shops(settings)
    return ShopsService(runtime=runtime, client=create_shops_app(runtime).test_client())


@contextmanager
def saga_on(
    database_url: str, tmp_path: Path, *, amqp_prefix: str, amqp_url: str = support.AMQP_URL
) -> Iterator[Saga]:
    """Both services on `amqp_url` (the broker, or a proxy to it); the orders side on
    `database_url`, the shops side on a second database of the same kind."""
    with ExitStack() as stack:
        if database_url.startswith("sqlite"):
            shops_url = f"sqlite:///{tmp_path / 'shops.db'}"
        else:
            shops_url = stack.enter_context(support.fresh_postgres_database())
        orders = build_orders(database_url, amqp_prefix, amqp_url=amqp_url)
        stack.callback(orders.runtime.engine.dispose)
        shops = shops_service(shops_url, amqp_url=amqp_url, amqp_prefix=amqp_prefix)
        stack.callback(shops.runtime.engine.dispose)
        yield Saga(orders=orders, shops=shops)


@pytest.fixture
def saga(database_url: str, tmp_path: Path, amqp_prefix: str) -> Iterator[Saga]:
    with saga_on(database_url, tmp_path, amqp_prefix=amqp_prefix) as both:
        both.open_shop()
        yield both
