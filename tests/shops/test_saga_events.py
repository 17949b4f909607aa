"""What the orders side tells the shop about a part: its payment, the buyer's request to
cancel. And a fact that contradicts the order's state: recorded for an operator, counted,
and listed by `python -m services.common.manage shops conflicts list`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from prometheus_client import REGISTRY

from services.common.contracts import (
    Money,
    OrderCancellationRequested,
    OrderPaymentCaptured,
    OrderPaymentFailed,
)
from services.shops.db import Listing, SagaConflict, ShopOrder
from tests.e2e.system import REPO
from tests.shops.conftest import order_placed

pytestmark = pytest.mark.integration


@pytest.fixture
def placed(shops, seller):
    """A shop with 3 copies of one book and a pending order for 2 of them."""
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=3)
    event = order_placed(shop["id"], [(listing, 2)])
    shops.deliver(event)
    return shop, listing, event


def ids(event) -> dict:
    return {
        "order_id": event.order_id,
        "shop_order_id": event.shop_order_id,
        "shop_id": event.shop_id,
    }


def captured(event) -> OrderPaymentCaptured:
    return OrderPaymentCaptured(**ids(event), amount=Money(amount=2950, currency="EUR"))


def accept(shops, seller, shop, event) -> None:
    url = f"/shops/{shop['id']}/orders/{event.shop_order_id}/accept"
    assert shops.client.post(url, headers=seller.headers()).status_code == 200


def conflicts_counted(event_type: str) -> float:
    labels = {"service": "shops", "event_type": event_type}
    return REGISTRY.get_sample_value("saga_conflicts_total", labels) or 0.0


def test_payment_failed_cancels_the_accepted_order_and_puts_its_stock_back(shops, seller, placed):
    shop, listing, event = placed
    accept(shops, seller, shop, event)

    shops.deliver(OrderPaymentFailed(**ids(event), reason="the bank refused"))

    order = shops.get(ShopOrder, event.shop_order_id)
    assert (order.status, order.payment_status) == ("cancelled", "failed")
    assert order.cancel_reason == "The buyer's payment failed: the bank refused"
    assert shops.get(Listing, listing["id"]).quantity == 3
    assert shops.count(SagaConflict) == 0


def test_a_cancellation_request_is_granted_while_pending(shops, placed):
    _shop, listing, event = placed

    shops.deliver(OrderCancellationRequested(**ids(event), reason="Found it elsewhere"))

    order = shops.get(ShopOrder, event.shop_order_id)
    assert (order.status, order.cancel_reason) == ("cancelled", "Found it elsewhere")
    assert shops.get(Listing, listing["id"]).quantity == 3
    [granted] = shops.outbox("shop_order.cancelled")
    assert (granted["shop_order_id"], granted["reason"]) == (
        event.shop_order_id,
        "Found it elsewhere",
    )
    assert shops.outbox("shop_order.cancellation_refused") == []


def test_a_cancellation_request_is_refused_once_accepted(shops, seller, placed):
    shop, listing, event = placed
    accept(shops, seller, shop, event)

    shops.deliver(OrderCancellationRequested(**ids(event), reason="Too late?"))

    assert shops.get(ShopOrder, event.shop_order_id).status == "accepted"
    assert shops.get(Listing, listing["id"]).quantity == 1
    [refused] = shops.outbox("shop_order.cancellation_refused")
    assert (refused["shop_order_id"], refused["status"]) == (event.shop_order_id, "accepted")
    assert shops.outbox("shop_order.cancelled") == []


def test_a_contradicting_payment_event_is_recorded_counted_and_listed(shops, placed):
    _shop, _listing, event = placed
    before = conflicts_counted("order.payment_captured")

    # The money is reported captured for an order the shop has not accepted.
    shops.deliver(captured(event))

    order = shops.get(ShopOrder, event.shop_order_id)
    assert (order.status, order.payment_status) == ("pending", None)
    with shops.runtime.session_factory() as session:
        [conflict] = session.query(SagaConflict).all()
    assert (conflict.event_type, conflict.shop_order_id, conflict.state) == (
        "order.payment_captured",
        event.shop_order_id,
        "pending",
    )
    assert "captured for an order that is pending" in conflict.detail
    assert conflicts_counted("order.payment_captured") == before + 1
    listed = subprocess.run(
        [sys.executable, "-m", "services.common.manage", "shops", "conflicts", "list"],
        cwd=REPO,
        env={**os.environ, "SHOPS_DATABASE_URL": shops.runtime.settings.resolved_database_url()},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    assert "order.payment_captured" in listed.stdout
    assert event.shop_order_id in listed.stdout and "state pending" in listed.stdout
