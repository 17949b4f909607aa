"""The platform suspends a shop, and reinstates it, on the real broker and databases: the
shops service announces it (shop.updated through its outbox and relay), the catalog's
worker takes the listings out of search, and the orders service, asking the real shops
service over HTTP, refuses its items at checkout; all of it undone by reinstatement."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from services.catalog.worker import build as build_catalog_worker
from services.common.auth import Operator, issue_operator_token
from services.orders.app import create_app as create_orders_app
from services.orders.bootstrap import bootstrap as bootstrap_orders
from services.orders.config import Settings as OrdersSettings
from services.shops.app import create_app as create_shops_app
from services.shops.worker import build as build_shops_worker
from tests import support
from tests.catalog.conftest import build_catalog
from tests.orders.conftest import MIGRATIONS as ORDERS_MIGRATIONS
from tests.orders.factories import postal_address
from tests.shops.conftest import ShopsService, make_seller
from tests.shops.conftest import build_service as build_shops

pytestmark = pytest.mark.integration

BUYER = support.FreshAuthHeader("reader-1", "Rita Reader")


def operator() -> dict:
    token = issue_operator_token(Operator("op-1", "Olive Operator"), secret=support.SECRET)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def shops_on_broker(database_url: str, amqp_prefix: str) -> Iterator[ShopsService]:
    service = build_shops(database_url, amqp_prefix=amqp_prefix)
    yield service
    service.runtime.engine.dispose()


@pytest.fixture
def stack(shops_on_broker: ShopsService, amqp_prefix: str, tmp_path: Path) -> Iterator[dict]:
    catalog = build_catalog(f"sqlite:///{tmp_path / 'catalog.db'}", tmp_path, amqp_prefix)
    orders_url = f"sqlite:///{tmp_path / 'orders.db'}"
    support.migrate(ORDERS_MIGRATIONS, orders_url)
    with (
        support.serving(create_shops_app(shops_on_broker.runtime)) as shops_url,
        support.running(build_shops_worker(shops_on_broker.runtime)),
        support.running(build_catalog_worker(catalog.runtime)),
    ):
        orders_runtime = bootstrap_orders(
            OrdersSettings(
                database_url=orders_url, shops_url=shops_url, service_token_secret=support.SECRET
            )
        )
        yield {
            "shops": shops_on_broker,
            "catalog": catalog,
            "orders": create_orders_app(orders_runtime).test_client(),
        }
        orders_runtime.engine.dispose()
    catalog.runtime.engine.dispose()
    catalog.runtime.search_index.close()


def checkout(orders, listing_id: str, key: str):
    added = orders.post(
        "/cart/lines", json={"listing_id": listing_id, "quantity": 1}, headers=BUYER
    )
    if added.status_code not in (200, 201):
        return added
    return orders.post(
        "/checkout",
        json={
            "idempotency_key": key,
            "address": postal_address("GB"),
            "card_number": "4242 4242 4242 4242",
        },
        headers=BUYER,
    )


def test_a_suspended_shop_leaves_search_and_checkout_until_reinstated(stack):
    shops, catalog, orders = stack["shops"], stack["catalog"], stack["orders"]
    seller = make_seller()
    shop = shops.open_shop(seller, currency="EUR", country="GB")
    book = shops.add_listing(seller, shop["id"], title="The Suspended Waves", quantity=5)
    support.wait_for(lambda: catalog.titles("Suspended") == ["The Suspended Waves"])

    suspended = shops.client.post(
        f"/operator/shops/{shop['id']}/suspend",
        json={"reason": "Listings copied from another shop."},
        headers=operator(),
    )
    assert suspended.status_code == 200, suspended.get_json()
    support.wait_for(lambda: catalog.titles("Suspended") == [])
    refused = checkout(orders, book["id"], "k-1")
    assert refused.status_code in (409, 422), refused.get_json()
    assert "not taking orders" in refused.get_json()["error"]
    mine = shops.client.get("/shops/mine", headers=seller.headers()).get_json()["shops"]
    assert mine[0]["suspension"]["reason"] == "Listings copied from another shop."

    reinstated = shops.client.post(
        f"/operator/shops/{shop['id']}/reinstate",
        json={"reason": "The shop showed its own photos."},
        headers=operator(),
    )
    assert reinstated.status_code == 200
    support.wait_for(lambda: catalog.titles("Suspended") == ["The Suspended Waves"])
    placed = checkout(orders, book["id"], "k-2")
    assert placed.status_code == 201, placed.get_json()
    audit = shops.client.get("/operator/audit", headers=operator()).get_json()["actions"]
    assert [a["action"] for a in audit] == ["shop.reinstate", "shop.suspend"]


def test_only_an_operator_suspends(shops_on_broker: ShopsService):
    shops = shops_on_broker
    seller = make_seller()
    shop = shops.open_shop(seller, currency="EUR")

    for headers in (seller.headers(), dict(BUYER), {}, support.service_header()):
        for path in (f"/operator/shops/{shop['id']}/suspend", "/operator/shops"):
            if path.endswith("suspend"):
                response = shops.client.post(path, json={"reason": "x"}, headers=headers)
            else:
                response = shops.client.get(path, headers=headers)
            assert response.status_code == 404, (path, response.status_code)
    assert (
        shops.client.get("/shops/mine", headers=seller.headers()).get_json()["shops"][0][
            "suspension"
        ]
        is None
    )


def test_an_operator_cannot_read_a_shops_customer_book(shops_on_broker: ShopsService):
    shops = shops_on_broker
    seller = make_seller()
    shop = shops.open_shop(seller, currency="EUR")

    response = shops.client.get(f"/shops/{shop['id']}/customers", headers=operator())

    assert response.status_code in (401, 403, 404)
