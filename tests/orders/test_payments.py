"""Payments through checkout and the shops' answers, on the real database and broker.

The order's total is authorized once at checkout; each part is captured when its shop
accepts, voided when declined or cancelled, refunded when withdrawn after capture.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from services.common.contracts import ShopOrderAccepted, ShopOrderDeclined, wrap
from services.orders import db
from services.orders.payments.embedded import EmbeddedTestProvider
from services.orders.payments.port import Card, PaymentFailed
from services.orders.worker import build
from tests import support
from tests.orders.conftest import OrdersService
from tests.orders.factories import eur, listing
from tests.orders.test_worker import about, order_page, publish, shipped

pytestmark = pytest.mark.integration

DECLINED = "4000 0000 0000 0002"
CAPTURE_FAILS = "4000 0000 0000 0341"


def payment_operations(service: OrdersService) -> list[db.EmbeddedPaymentOperation]:
    with service.runtime.session_factory() as session:
        return list(session.scalars(select(db.EmbeddedPaymentOperation)))


def kinds(service: OrdersService) -> list[str]:
    return sorted(op.kind for op in payment_operations(service))


def two_shop_order(service: OrdersService, **checkout: str) -> dict:
    a = service.listings.add(listing(shop_id="a", price=eur(1000)))
    b = service.listings.add(listing(shop_id="b", price=eur(600)))
    return service.order_in_cart("ada", a, b, **checkout)


def until(service: OrdersService, order: dict, ready) -> dict:
    """Run the worker until the order page satisfies `ready`, and return that page."""
    with support.running(build(service.runtime)):
        return support.wait_for(
            lambda: (page := order_page(service, order)) and ready(page) and page
        )


def test_checkout_authorizes_the_total_and_keeps_only_the_last_four_digits(orders):
    order = two_shop_order(orders)

    assert order["payment"] == {
        "card_last4": "4242",
        "authorized": {"amount": 1600, "currency": "EUR"},
    }
    assert [part["payments"]["authorized"]["amount"] for part in order["parts"]] == [1000, 600]
    [authorization] = payment_operations(orders)
    assert (authorization.kind, authorization.amount, authorization.card_last4) == (
        "authorization",
        1600,
        "4242",
    )
    with orders.runtime.session_factory() as session:
        stored = [json.dumps(row.body) for row in session.scalars(select(db.OutboxMessage))]
        stored += [repr(vars(row)) for row in session.scalars(select(db.Order))]
    assert not any("4242424242424242" in text for text in stored)


def test_checkout_declined_card_is_402_and_writes_nothing(orders):
    orders.add_to_cart("ada", orders.listings.add(listing()))

    response = orders.checkout("ada", card_number=DECLINED)

    assert response.status_code == 402
    assert "declined" in response.get_json()["error"]
    assert "nothing was ordered" in response.get_json()["error"]
    assert orders.count(db.Order) == 0
    assert orders.outbox() == []
    assert payment_operations(orders) == []
    assert orders.count(db.CartLine) == 1


def test_checkout_invalid_card_number_is_422(orders_on_sqlite):
    orders = orders_on_sqlite
    orders.add_to_cart("ada", orders.listings.add(listing()))

    response = orders.checkout("ada", card_number="4242 4242 4242 4241")

    assert response.status_code == 422
    assert "card number is not valid" in response.get_json()["error"]
    assert orders.count(db.Order) == 0


def test_accepted_part_is_captured_and_billed_with_commission(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part_a = order["parts"][0]
    publish(service, wrap(about(part_a, order, ShopOrderAccepted)))

    page = until(service, order, lambda p: p["parts"][0]["payments"]["captured"]["amount"])

    assert page["parts"][0]["status"] == "accepted"
    assert page["parts"][0]["payments"]["captured"] == {"amount": 1000, "currency": "EUR"}
    assert page["parts"][1]["payments"]["captured"]["amount"] == 0
    with service.runtime.session_factory() as session:
        entries = session.scalars(select(db.ShopLedgerEntry).order_by(db.ShopLedgerEntry.id))
        assert [(e.shop_id, e.kind, e.amount) for e in entries] == [
            ("a", "sale", 1000),
            ("a", "commission", -100),
        ]


def test_declined_part_voids_only_its_own_money(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part_a, part_b = order["parts"]
    publish(
        service,
        wrap(about(part_a, order, ShopOrderAccepted)),
        wrap(about(part_b, order, ShopOrderDeclined, reason="Out of stock: Book")),
    )

    page = until(service, order, lambda p: p["parts"][1]["status"] == "declined")

    shown_a, shown_b = page["parts"]
    assert shown_b["payments"]["voided"] == {"amount": 600, "currency": "EUR"}
    assert shown_b["payments"]["captured"]["amount"] == 0
    assert shown_a["payments"]["captured"] == {"amount": 1000, "currency": "EUR"}
    assert shown_a["payments"]["voided"]["amount"] == 0
    voids = [op for op in payment_operations(service) if op.kind == "void"]
    assert [v.amount for v in voids] == [600]


def test_failed_capture_marks_payment_failed_and_tells_the_shop_not_to_ship(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service, card_number=CAPTURE_FAILS)
    part_a = order["parts"][0]
    publish(service, wrap(about(part_a, order, ShopOrderAccepted)))

    page = until(service, order, lambda p: p["parts"][0]["status"] == "payment_failed")

    shown = page["parts"][0]
    assert "refused the payment" in shown["payment_error"]
    assert [entry["status"] for entry in shown["timeline"]] == [
        "placed",
        "accepted",
        "payment_failed",
    ]
    assert shown["payments"]["voided"] == {"amount": 1000, "currency": "EUR"}
    assert page["parts"][1]["payments"]["voided"]["amount"] == 0
    failed = [row for row in service.outbox() if row.event_type == "order.payment_failed"]
    assert [json.loads(row.body)["payload"]["shop_order_id"] for row in failed] == [
        part_a["shop_order_id"]
    ]
    assert "refused the payment" in json.loads(failed[0].body)["payload"]["reason"]
    assert not [row for row in service.outbox() if row.event_type == "order.payment_captured"]


def test_shipped_after_failed_capture_is_ignored(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service, card_number=CAPTURE_FAILS)
    part_a = order["parts"][0]
    publish(service, wrap(shipped(part_a, order)))

    page = until(service, order, lambda p: p["parts"][0]["status"] != "placed")

    assert page["parts"][0]["status"] == "payment_failed"
    assert page["parts"][0]["note"] is None
    # Not dropped: the contradiction is kept where an operator sees it.
    with service.runtime.session_factory() as session:
        [conflict] = session.scalars(select(db.SagaConflict)).all()
    assert (conflict.event_type, conflict.shop_order_id, conflict.state) == (
        "shop_order.shipped",
        part_a["shop_order_id"],
        "payment_failed",
    )


def test_part_withdrawn_after_capture_is_refunded_with_its_commission(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part_a = order["parts"][0]
    publish(
        service,
        wrap(about(part_a, order, ShopOrderAccepted)),
        wrap(about(part_a, order, ShopOrderDeclined, reason="The copy was damaged")),
    )

    page = until(service, order, lambda p: p["parts"][0]["status"] == "declined")

    ledger = page["parts"][0]["payments"]
    assert (ledger["captured"]["amount"], ledger["refunded"]["amount"]) == (1000, 1000)
    with service.runtime.session_factory() as session:
        kinds_and_amounts = [
            (e.kind, e.amount)
            for e in session.scalars(select(db.ShopLedgerEntry).order_by(db.ShopLedgerEntry.id))
        ]
    assert kinds_and_amounts == [
        ("sale", 1000),
        ("commission", -100),
        ("refund", -1000),
        ("commission_refund", 100),
    ]


def test_embedded_authorization_is_found_again_by_its_key_and_usable_in_its_own_session(orders):
    # The authorization is written straight away, not kept in the session until a flush:
    # a retry with its key finds it, and the same session can take money from it.
    with orders.runtime.session_factory.begin() as session:
        provider = EmbeddedTestProvider(session)
        first = provider.authorize(eur(1600), Card.parse("4242 4242 4242 4242"), "order:x")
        again = provider.authorize(eur(1600), Card.parse("4242 4242 4242 4242"), "order:x")
        provider.capture(first, eur(1000))
        provider.void(first, eur(600))
        failing = provider.authorize(eur(500), Card.parse(CAPTURE_FAILS), "order:y")
        with pytest.raises(PaymentFailed):
            provider.capture(failing, eur(500))

    assert again == first
    assert (first.amount, first.card_last4) == (eur(1600), "4242")
    assert kinds(orders) == ["authorization", "authorization", "capture", "void"]
