"""Auto-accept, the response window, and vacation: how a shop answers its orders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.common.messaging.tables import utcnow
from services.shops.db import Listing, ShopOrder
from services.shops.deadlines import decline_overdue
from tests.shops.conftest import order_placed

pytestmark = pytest.mark.integration


def test_order_for_an_auto_accept_shop_is_reserved_and_accepted_at_once(shops, seller):
    shop = shops.open_shop(seller)
    shops.patch_shop(seller, shop["id"], order_handling={"mode": "auto_accept"})
    listing = shops.add_listing(seller, shop["id"], quantity=2)
    event = order_placed(shop["id"], [(listing, 1)])

    shops.deliver(event)

    order = shops.get(ShopOrder, event.shop_order_id)
    assert (order.status, order.stock_reserved, order.respond_by) == ("accepted", True, None)
    assert shops.get(Listing, listing["id"]).quantity == 1
    assert shops.outbox("shop_order.accepted") == [
        {"shop_order_id": event.shop_order_id, "order_id": event.order_id, "shop_id": shop["id"]}
    ]


def test_order_for_a_manual_shop_carries_its_answer_deadline(shops, seller):
    shop = shops.open_shop(seller)
    shops.patch_shop(seller, shop["id"], order_handling={"response_hours": 24})
    listing = shops.add_listing(seller, shop["id"])
    event = order_placed(shop["id"], [(listing, 1)])

    shops.deliver(event)

    body = shops.client.get(
        f"/shops/{shop['id']}/orders/{event.shop_order_id}", headers=seller.headers()
    ).get_json()
    order = shops.get(ShopOrder, event.shop_order_id)
    assert body["status"] == "pending"
    assert order.respond_by - order.received_at == timedelta(hours=24)
    assert body["respond_by"] is not None
    assert shops.outbox("shop_order.accepted") == []


def test_decline_overdue_declines_unanswered_orders_and_gives_the_stock_back(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=2)
    late, answered = (order_placed(shop["id"], [(listing, 1)]) for _ in range(2))
    shops.deliver(late)
    shops.deliver(answered)
    shops.client.post(
        f"/shops/{shop['id']}/orders/{answered.shop_order_id}/accept", headers=seller.headers()
    )

    assert decline_overdue(shops.runtime.session_factory) == 0
    declined = decline_overdue(
        shops.runtime.session_factory, now=utcnow() + timedelta(hours=48, minutes=1)
    )

    assert declined == 1
    order = shops.get(ShopOrder, late.shop_order_id)
    assert (order.status, order.stock_reserved) == ("declined", False)
    assert order.decline_reason == "The shop did not answer within 48 hours"
    assert shops.get(ShopOrder, answered.shop_order_id).status == "accepted"
    assert shops.get(Listing, listing["id"]).quantity == 1
    assert shops.outbox("shop_order.declined")[-1]["reason"] == order.decline_reason
    assert shops.outbox("listing.upserted")[-1]["quantity"] == 1


def test_order_for_a_shop_on_vacation_is_declined_without_touching_stock(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=1)
    shops.patch_shop(seller, shop["id"], on_vacation=True)
    event = order_placed(shop["id"], [(listing, 1)])

    shops.deliver(event)

    assert shops.get(ShopOrder, event.shop_order_id).status == "declined"
    assert shops.get(Listing, listing["id"]).quantity == 1
    assert "vacation" in shops.outbox("shop_order.declined")[-1]["reason"]
