"""The buyer's delivery address at the shop: each part's own copy (order.placed version 2),
parts placed before addresses travelled (version 1), who may read it, the export, and its
erasure after the retention period."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.common.clock import utcnow
from services.common.contracts import (
    OrderPaymentCaptured,
    OrderPlacedV2,
    PostalAddress,
    encode,
    wrap,
)
from services.shops.address_retention import erase_expired_addresses
from services.shops.db import ShopOrder
from services.shops.worker import build
from tests import support
from tests.shops.conftest import make_seller, order_placed, publish
from tests.shops.test_exports import rows

pytestmark = pytest.mark.integration

ADDRESS = PostalAddress(
    name="Clara Reader",
    street_address="12 rue Vivienne\nBâtiment B",
    city="PARIS",
    postal_code="75002",
    country_code="FR",
)


def order_placed_v2(shop_id: str, lines, address: PostalAddress = ADDRESS, **overrides):
    v1 = order_placed(shop_id, lines, **overrides)
    return OrderPlacedV2(**v1.model_dump(), delivery_address=address)


def test_order_placed_v2_keeps_the_parts_own_copy_of_the_address(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=3)
    event = order_placed_v2(shop["id"], [(listing, 1)])

    assert shops.deliver(event) is True

    response = shops.client.get(
        f"/shops/{shop['id']}/orders/{event.shop_order_id}", headers=seller.headers()
    )
    order = response.get_json()
    assert order["status"] == "pending"
    assert order["delivery_address"] == ADDRESS.model_dump()
    assert order["address_erased"] is False
    listed = shops.client.get(f"/shops/{shop['id']}/orders", headers=seller.headers())
    assert listed.get_json()["orders"][0]["delivery_address"]["postal_code"] == "75002"


def test_order_placed_v1_is_still_applied_without_an_address(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=3)
    event = order_placed(shop["id"], [(listing, 2)])

    assert shops.deliver(event) is True

    order = shops.get(ShopOrder, event.shop_order_id)
    assert (order.status, order.stock_reserved, order.delivery_address) == ("pending", True, None)
    response = shops.client.get(
        f"/shops/{shop['id']}/orders/{event.shop_order_id}", headers=seller.headers()
    )
    assert response.get_json()["delivery_address"] is None


def test_worker_applies_version_1_and_version_2_messages_from_the_broker(shops_on_broker, seller):
    service = shops_on_broker
    shop = service.open_shop(seller)
    listing = service.add_listing(seller, shop["id"], quantity=5)
    old = order_placed(shop["id"], [(listing, 1)])
    new = order_placed_v2(shop["id"], [(listing, 2)])
    assert old.routing_key() == new.routing_key()

    publish(service, (old, encode(wrap(old))), (new, encode(wrap(new))))
    with support.running(build(service.runtime)):
        support.wait_for(lambda: service.get(ShopOrder, new.shop_order_id))
        support.wait_for(lambda: service.get(ShopOrder, old.shop_order_id))

    assert service.get(ShopOrder, old.shop_order_id).delivery_address is None
    assert service.get(ShopOrder, new.shop_order_id).delivery_address == ADDRESS.model_dump()
    dead = service.runtime.topology.dead_letter_queue("shops")
    assert support.queue_depth(dead) == 0


def test_another_shops_member_and_the_buyer_get_404_for_the_address(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=3)
    event = order_placed_v2(shop["id"], [(listing, 1)])
    shops.deliver(event)
    other_seller = make_seller("Other")
    other_shop = shops.open_shop(other_seller, name="Other Books")
    buyer = support.auth_header(event.buyer.user_id, event.buyer.name)

    for url, headers in [
        # Another shop's member, asking through this shop and through their own.
        (f"/shops/{shop['id']}/orders/{event.shop_order_id}", other_seller.headers()),
        (f"/shops/{other_shop['id']}/orders/{event.shop_order_id}", other_seller.headers()),
        # The buyer of the order is no member of the shop.
        (f"/shops/{shop['id']}/orders/{event.shop_order_id}", buyer),
        (f"/shops/{shop['id']}/orders", buyer),
        (f"/shops/{shop['id']}/export/orders.csv", buyer),
    ]:
        response = shops.client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert "75002" not in response.get_data(as_text=True)
    own = shops.client.get(f"/shops/{other_shop['id']}/orders", headers=other_seller.headers())
    assert own.get_json()["orders"] == []


def test_orders_export_has_the_address_columns(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=5)
    shops.deliver(order_placed_v2(shop["id"], [(listing, 1)]))
    shops.deliver(order_placed(shop["id"], [(listing, 1)]))

    exported = rows(shops, seller, shop["id"], "orders.csv")

    with_address = next(row for row in exported if row["ship_to_country"])
    assert with_address["ship_to_name"] == "Clara Reader"
    assert with_address["ship_to_street"] == "12 rue Vivienne, Bâtiment B"
    assert (with_address["ship_to_postal_code"], with_address["ship_to_city"]) == (
        "75002",
        "PARIS",
    )
    assert with_address["ship_to_country"] == "FR"
    without = next(row for row in exported if not row["ship_to_country"])
    assert without["ship_to_street"] == ""


def _ship(shops, seller, shop, event) -> None:
    url = f"/shops/{shop['id']}/orders/{event.shop_order_id}"
    assert shops.client.post(url + "/accept", headers=seller.headers()).status_code == 200
    # Only money the orders side captured may leave as a parcel.
    shops.deliver(
        OrderPaymentCaptured(
            order_id=event.order_id,
            shop_order_id=event.shop_order_id,
            shop_id=event.shop_id,
            amount=event.subtotal,
        )
    )
    shipped = shops.client.post(url + "/ship", json={"note": "Enjoy!"}, headers=seller.headers())
    assert shipped.status_code == 200


def test_retention_erases_old_addresses_to_the_country_and_keeps_recent_ones(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=10)
    shipped_long_ago, shipped_lately, declined_long_ago, pending = (
        order_placed_v2(shop["id"], [(listing, 1)]) for _ in range(4)
    )
    for event in (shipped_long_ago, shipped_lately, declined_long_ago, pending):
        shops.deliver(event)
    _ship(shops, seller, shop, shipped_long_ago)
    _ship(shops, seller, shop, shipped_lately)
    declined = shops.client.post(
        f"/shops/{shop['id']}/orders/{declined_long_ago.shop_order_id}/decline",
        json={"reason": "Sold in the shop this morning"},
        headers=seller.headers(),
    )
    assert declined.status_code == 200
    now = utcnow()
    with shops.runtime.session_factory.begin() as session:
        session.get(ShopOrder, shipped_long_ago.shop_order_id).shipped_at = now - timedelta(91)
        session.get(ShopOrder, shipped_lately.shop_order_id).shipped_at = now - timedelta(89)
        session.get(ShopOrder, declined_long_ago.shop_order_id).decided_at = now - timedelta(91)
        # Pending for months (no answer window): still needed, whatever its age.
        session.get(ShopOrder, pending.shop_order_id).placed_at = now - timedelta(200)

    assert erase_expired_addresses(shops.runtime.session_factory, days=90, now=now) == 2
    assert erase_expired_addresses(shops.runtime.session_factory, days=90, now=now) == 0

    for event in (shipped_long_ago, declined_long_ago):
        order = shops.get(ShopOrder, event.shop_order_id)
        assert order.delivery_address == PostalAddress(country_code="FR").model_dump()
        assert order.address_erased_at is not None
    for event in (shipped_lately, pending):
        assert shops.get(ShopOrder, event.shop_order_id).delivery_address == ADDRESS.model_dump()
    page = shops.client.get(
        f"/shops/{shop['id']}/orders/{shipped_long_ago.shop_order_id}", headers=seller.headers()
    ).get_json()
    assert page["address_erased"] is True
    assert "rue Vivienne" not in str(page)


def test_the_shops_worker_runs_the_retention_job(shops_on_broker, seller):
    service = shops_on_broker
    shop = service.open_shop(seller)
    listing = service.add_listing(seller, shop["id"], quantity=3)
    event = order_placed_v2(shop["id"], [(listing, 1)])
    service.deliver(event)
    declined = service.client.post(
        f"/shops/{shop['id']}/orders/{event.shop_order_id}/decline",
        json={"reason": "Sold in the shop"},
        headers=seller.headers(),
    )
    assert declined.status_code == 200
    with service.runtime.session_factory.begin() as session:
        session.get(ShopOrder, event.shop_order_id).decided_at = utcnow() - timedelta(days=100)

    with support.running(build(service.runtime)):
        support.wait_for(lambda: service.get(ShopOrder, event.shop_order_id).address_erased_at)

    assert service.get(ShopOrder, event.shop_order_id).delivery_address == {
        **PostalAddress(country_code="FR").model_dump()
    }
