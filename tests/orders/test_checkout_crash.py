"""A checkout whose process dies between the authorization and the order holds the buyer's
money once, and not for long.

The checkout runs in a process of its own on the real database, made to die by SIGKILL at
the moment it would write the order, after the authorization committed. The buyer's retry
with the same checkout key finds that authorization and places the order with it; an
authorization nobody retries is voided by the orders worker's job a few minutes later.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.common.clock import utcnow
from services.orders import db
from services.orders.bootstrap import payment_providers
from services.orders.use_cases.holds import void_orphans
from services.orders.worker import build
from tests import support
from tests.e2e.system import REPO
from tests.orders.conftest import OrdersService, build_service
from tests.orders.factories import eur, listing

pytestmark = pytest.mark.integration

# The orders service's checkout, in a process that SIGKILLs itself where the order would be
# written: what a crash of the web process at that point leaves behind.
DIE_BEFORE_THE_ORDER = """
import json, os, signal, sys
from services.orders.domain.money import Money
from services.orders.listings import ListingInfo
from services.orders.use_cases import checkout
from tests.orders.conftest import build_service

database_url, key, raw = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
service = build_service(database_url)
service.listings.add(ListingInfo(**{**raw, "price": Money(**raw["price"])}))
checkout.write_order = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
service.checkout("ada", key=key)
sys.exit("the checkout was meant to die before writing the order")
"""


def checkout_killed_before_the_order(service: OrdersService, info, *, key: str) -> None:
    raw = {**info.__dict__, "price": info.price.as_dict()}
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            DIE_BEFORE_THE_ORDER,
            service.runtime.settings.resolved_database_url(),
            key,
            json.dumps(raw),
        ],
        cwd=REPO,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        timeout=120,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()[-3000:]


def operations(service: OrdersService, kind: str) -> list[db.EmbeddedPaymentOperation]:
    with service.runtime.session_factory() as session:
        query = select(db.EmbeddedPaymentOperation).where(db.EmbeddedPaymentOperation.kind == kind)
        return list(session.scalars(query))


def put_in_cart(service: OrdersService):
    info = service.listings.add(listing(shop_id="a", price=eur(2550)))
    assert service.add_to_cart("ada", info).status_code in (200, 201)
    return info


def test_a_checkout_killed_before_its_order_then_retried_holds_one_authorization(orders):
    info = put_in_cart(orders)

    checkout_killed_before_the_order(orders, info, key="key-1")
    [held] = operations(orders, "authorization")  # committed before the process died
    assert orders.count(db.Order) == 0
    retried = orders.checkout("ada", key="key-1")
    void_orphans(
        orders.runtime.session_factory,
        payment_providers(orders.runtime),
        now=utcnow() + timedelta(hours=1),
        older_than=timedelta(minutes=10),
    )

    assert retried.status_code == 201, retried.get_json()
    assert orders.count(db.Order) == 1
    assert [op.id for op in operations(orders, "authorization")] == [held.id]
    assert held.amount == retried.get_json()["total"]["amount"] == 2550
    with orders.runtime.session_factory() as session:
        order = session.scalars(select(db.Order)).one()
        hold = session.scalars(select(db.PaymentHold)).one()
    assert order.authorization_id == held.id
    assert (hold.order_id, hold.voided_at) == (order.id, None)
    # The order's money stays held for its shop: nothing was voided.
    assert operations(orders, "void") == []


def test_an_authorization_no_order_used_is_voided_by_the_worker_after_its_delay(
    database_url, amqp_prefix
):
    # A delay of 60 ms, so the worker's first run of its job (as it starts) finds it passed.
    service = build_service(database_url, amqp_prefix, orphan_authorization_minutes=0.001)
    try:
        info = put_in_cart(service)
        checkout_killed_before_the_order(service, info, key="key-1")
        [held] = operations(service, "authorization")
        # Younger than the delay: a checkout may still be on its way to write its order.
        assert (
            void_orphans(
                service.runtime.session_factory,
                payment_providers(service.runtime),
                now=utcnow(),
                older_than=timedelta(minutes=10),
            )
            == 0
        )
        time.sleep(0.1)

        with support.running(build(service.runtime)):
            support.wait_for(lambda: operations(service, "void"), timeout=30)

        [void] = operations(service, "void")
        assert (void.authorization_id, void.amount, void.currency) == (held.id, 2550, "EUR")
        with service.runtime.session_factory() as session:
            assert session.scalars(select(db.PaymentHold)).one().voided_at is not None
        # The buyer tries again: a new authorization, used by the order, nothing voided twice.
        retried = service.checkout("ada", key="key-1")
        assert retried.status_code == 201, retried.get_json()
        assert len(operations(service, "authorization")) == 2
        assert len(operations(service, "void")) == 1
    finally:
        service.runtime.engine.dispose()


def test_a_retry_for_another_total_releases_the_first_hold_and_holds_the_new_total(orders):
    info = put_in_cart(orders)
    checkout_killed_before_the_order(orders, info, key="key-1")
    [first] = operations(orders, "authorization")
    # The shop raised its price meanwhile: the retry stops once, showing the new price...
    orders.listings.change(info, price=eur(2700))
    assert orders.checkout("ada", key="key-1").status_code == 409

    retried = orders.checkout("ada", key="key-1")  # ...and the buyer agrees to it.

    assert retried.status_code == 201, retried.get_json()
    second = next(op for op in operations(orders, "authorization") if op.id != first.id)
    assert second.amount == 2700
    [void] = operations(orders, "void")
    assert (void.authorization_id, void.amount) == (first.id, 2550)
    with orders.runtime.session_factory() as session:
        assert session.scalars(select(db.Order.authorization_id)).one() == second.id
