"""Refunds after capture, on the real database and broker: the shop's answers arrive through
RabbitMQ and the worker captures; refunds then go through the payment port and the ledger.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.common.contracts import ShopOrderAccepted, wrap
from services.orders import db
from services.orders.domain.money import Money
from services.orders.payments.embedded import EmbeddedTestProvider
from services.orders.payments.port import Capture, PaymentFailed
from tests import support
from tests.orders.conftest import OrdersService
from tests.orders.factories import eur, listing, rates
from tests.orders.test_payments import until
from tests.orders.test_worker import about, publish, shipped

pytestmark = pytest.mark.integration

SELLER = support.FreshAuthHeader("seller-a", "Margaret", shops=("a",))
OTHER_SELLER = support.FreshAuthHeader("seller-b", "Bruno", shops=("b",))
BUYER = support.FreshAuthHeader("ada", "Ada Lovelace")


def captured_order(service: OrdersService, *, ship: bool = False) -> tuple[dict, dict]:
    """An order of one book (EUR 20.00) with EUR 3.00 shipping from shop a, accepted by the
    shop through the broker and captured by the worker; shipped too when `ship`."""
    book = service.listings.add(
        listing(shop_id="a", price=eur(2000), shop_country="GB", shipping=rates((300, 100)))
    )
    order = service.order_in_cart("ada", book, key=f"key-{book.id}")
    part = order["parts"][0]
    events = [wrap(about(part, order, ShopOrderAccepted))]
    if ship:
        events.append(wrap(shipped(part, order)))
    publish(service, *events)
    status = "shipped" if ship else "accepted"
    page = until(
        service,
        order,
        lambda page: (
            page["parts"][0]["status"] == status
            and page["parts"][0]["payments"]["captured"]["amount"] == 2300
        ),
    )
    return page, page["parts"][0]


def refund(service, part, key, *, items=None, shipping=None, headers=SELLER, shop="a"):
    body = {"idempotency_key": key, "message": "Sorry about the corner."}
    if items is not None:
        body["items"] = items
    if shipping is not None:
        body["shipping"] = shipping
    return service.client.post(
        f"/shops/{shop}/orders/{part['shop_order_id']}/refunds", json=body, headers=headers
    )


def ledger(service: OrdersService) -> list[tuple[str, int]]:
    with service.runtime.session_factory() as session:
        return [
            (entry.kind, entry.amount)
            for entry in session.scalars(select(db.ShopLedgerEntry).order_by(db.ShopLedgerEntry.id))
        ]


def provider_refunds(service: OrdersService) -> list[int]:
    with service.runtime.session_factory() as session:
        return [
            op.amount
            for op in session.scalars(
                select(db.EmbeddedPaymentOperation).where(
                    db.EmbeddedPaymentOperation.kind == "refund"
                )
            )
        ]


def order_page(service, order) -> dict:
    """The buyer's order with each part's after-sale view beside it."""
    page = service.client.get(f"/orders/{order['id']}", headers=BUYER).get_json()
    extra = service.client.get(f"/orders/{order['id']}/aftersale", headers=BUYER).get_json()
    for part in page["parts"]:
        part["aftersale"] = extra["parts"][part["shop_order_id"]]
    return page


def statement(service: OrdersService) -> dict:
    response = service.client.get("/shops/a/statement", headers=SELLER)
    assert response.status_code == 200
    [totals] = response.get_json()["totals"]
    return totals


def test_partial_refunds_up_to_the_captured_total_then_a_third_is_refused(orders_on_broker):
    service = orders_on_broker
    order, part = captured_order(service)

    first = refund(service, part, "r-1", items=500)
    second = refund(service, part, "r-2", items=1500, shipping=300)
    third = refund(service, part, "r-3", items=1)

    assert first.status_code == 201, first.get_json()
    assert first.get_json()["items"] == {"amount": 500, "currency": "EUR"}
    assert second.status_code == 201, second.get_json()
    assert second.get_json()["shipping"] == {"amount": 300, "currency": "EUR"}
    assert third.status_code == 422
    assert "left to refund" in third.get_json()["error"]
    assert provider_refunds(service) == [500, 1800]
    [seen] = order_page(service, order)["parts"]
    assert seen["payments"]["refunded"]["amount"] == 2300
    assert [r["total"]["amount"] for r in seen["aftersale"]["refunds"]] == [500, 1800]


def test_refund_of_more_shipping_than_was_paid_is_refused_and_moves_nothing(orders_on_broker):
    service = orders_on_broker
    _, part = captured_order(service)

    response = refund(service, part, "r-1", shipping=301)

    assert response.status_code == 422
    assert "shipping" in response.get_json()["error"]
    assert provider_refunds(service) == []
    assert [kind for kind, _ in ledger(service)] == ["sale", "commission"]


def test_the_same_refund_request_twice_refunds_once(orders_on_broker):
    service = orders_on_broker
    _, part = captured_order(service)

    first = refund(service, part, "same-key", items=700)
    again = refund(service, part, "same-key", items=700)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]
    assert provider_refunds(service) == [700]
    assert [kind for kind, _ in ledger(service)].count("refund") == 1


def test_the_provider_refunds_once_for_a_key_sent_twice(orders_on_broker):
    service = orders_on_broker
    _, part = captured_order(service)
    with service.runtime.session_factory.begin() as session:
        row = session.get(db.ShopOrder, part["shop_order_id"])
        capture = Capture(row.capture_id, row.order.authorization_id, Money(2300, "EUR"))
        provider = EmbeddedTestProvider(session)
        provider.refund(capture, Money(100, "EUR"), idempotency_key="k")
        provider.refund(capture, Money(100, "EUR"), idempotency_key="k")
        with pytest.raises(PaymentFailed):
            provider.refund(capture, Money(2201, "EUR"), idempotency_key="other")

    assert provider_refunds(service) == [100]


def test_refund_gives_back_the_commission_at_the_rate_frozen_at_sale(orders_on_broker):
    service = orders_on_broker
    _, part = captured_order(service)
    # A later change of rate must not change what is given back on this sale (10%).
    service.runtime.settings.commission_bps = 2500

    assert refund(service, part, "r-1", items=1000).status_code == 201
    assert refund(service, part, "r-2", items=1000, shipping=300).status_code == 201

    assert ledger(service) == [
        ("sale", 2300),
        ("commission", -230),
        ("refund", -1000),
        ("commission_refund", 100),
        ("refund", -1300),
        ("commission_refund", 130),
    ]
    movements = service.client.get("/shops/a/movements", headers=SELLER).get_json()["movements"]
    assert [(m["kind"], m["amount"]["amount"]) for m in movements][:2] == [
        ("commission_refund", 130),
        ("refund", -1300),
    ]
    assert service.client.get("/shops/a/movements", headers=OTHER_SELLER).status_code == 404
    totals = statement(service)
    assert (totals["sales"], totals["refunds"], totals["commission"], totals["net"]) == (
        2300,
        2300,
        0,
        0,
    )


def test_rounding_never_gives_back_more_commission_than_was_taken(orders_on_broker):
    service = orders_on_broker
    _, part = captured_order(service)

    for step in range(23):
        response = refund(
            service,
            part,
            f"r-{step}",
            items=100 if step < 20 else None,
            shipping=None if step < 20 else 100,
        )
        assert response.status_code == 201, response.get_json()

    given_back = sum(amount for kind, amount in ledger(service) if kind == "commission_refund")
    assert given_back == 230


def test_a_refund_before_capture_is_refused(orders_on_broker):
    service = orders_on_broker
    order = service.order_in_cart("ada", service.listings.add(listing(shop_id="a")))

    response = refund(service, order["parts"][0], "r-1", items=100)

    assert response.status_code == 422
    assert "nothing was paid" in response.get_json()["error"]


def test_another_shop_cannot_refund_the_part(orders_on_broker):
    service = orders_on_broker
    _, part = captured_order(service)

    response = refund(service, part, "r-1", items=100, headers=OTHER_SELLER, shop="b")
    as_buyer = refund(service, part, "r-2", items=100, headers=BUYER)

    assert response.status_code == 404
    assert as_buyer.status_code == 404
    assert provider_refunds(service) == []
