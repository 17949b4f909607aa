"""One order followed by its request id through every process it passes: the orders web
(its access line), the shops web (the listing read at checkout), the orders worker (relay)
and the shops worker (reservation), and back to the orders worker (the shop's answer)."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from services.common.auth import Principal, issue_token
from tests import support
from tests.e2e.system import make_system

pytestmark = pytest.mark.e2e

PROCESSES = ("shops", "shops-worker", "orders", "orders-worker")


def headers(system, user: str, shops: tuple[str, ...] = ()) -> dict[str, str]:
    token = issue_token(
        Principal(user, "Ada", frozenset(shops)), secret=system.env["SERVICE_TOKEN_SECRET"]
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def some_processes(tmp_path, broker, amqp_prefix):
    system = make_system(tmp_path, amqp_url=broker, prefix=amqp_prefix, database_urls={})
    system.env["LOG_LEVEL"] = "DEBUG"  # each worker logs every message it handles
    system.env["ACCESS_LOG"] = "-"
    system.commands = {name: system.commands[name] for name in PROCESSES}
    system.migrate()
    try:
        for name in PROCESSES:
            system.start(name)
        for name in PROCESSES:
            system.wait_ready(name)
        yield system
    finally:
        system.stop_all()


def logged_with(system, name: str, correlation_id: str) -> list[str]:
    return [line for line in system.log(name).splitlines() if correlation_id in line]


def test_an_order_s_request_id_is_in_every_process_it_passes(some_processes):
    system = some_processes
    shops, orders = system.url("shops"), system.url("orders")
    shop = requests.post(
        f"{shops}/shops",
        json={"name": "Trace Books", "signature": "Ada", "currency": "EUR"},
        headers=headers(system, "owner"),
        timeout=10,
    ).json()
    member = headers(system, "owner", (shop["id"],))
    requests.patch(
        f"{shops}/shops/{shop['id']}",
        json={"order_handling": {"mode": "auto_accept"}},
        headers=member,
        timeout=10,
    ).raise_for_status()
    listing = requests.post(
        f"{shops}/shops/{shop['id']}/listings",
        json={"title": "The Waves", "price": {"amount": 1450}, "quantity": 3},
        headers=member,
        timeout=10,
    ).json()
    buyer = headers(system, "ada")
    requests.post(
        f"{orders}/cart/lines",
        json={"listing_id": listing["id"], "quantity": 1},
        headers=buyer,
        timeout=10,
    ).raise_for_status()

    trace = "order-" + uuid.uuid4().hex[:12]
    placed = requests.post(
        f"{orders}/checkout",
        json={
            "idempotency_key": "k1",
            "shipping_name": "Ada",
            "shipping_address": "1 Analytical Row, London",
            "country": "GB",
            "card_number": "4242 4242 4242 4242",
        },
        headers=buyer | {"X-Request-ID": trace},
        timeout=30,
    )
    assert placed.status_code == 201, placed.text
    assert placed.headers["X-Request-ID"] == trace

    def handled(name: str, event_type: str) -> bool:
        for line in logged_with(system, name, trace):
            if line.startswith("{") and json.loads(line).get("event_type") == event_type:
                return True
        return False

    support.wait_for(lambda: handled("shops-worker", "order.placed"), timeout=30)
    support.wait_for(lambda: handled("orders-worker", "shop_order.accepted"), timeout=30)
    assert logged_with(system, "orders", trace)  # the checkout's access line
    assert logged_with(system, "shops", trace)  # the listing read during checkout
