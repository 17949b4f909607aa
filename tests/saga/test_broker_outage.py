"""The broker goes away in the middle of a run of checkouts and comes back: afterwards every
part's state on the orders side and on the shops side agree, and its money matches its
state (captured for shipped; voided for declined, cancelled and failed payments).

Buyers check out (some with a card whose capture fails) and ask to cancel some parts at
once; a seller accepts or declines every order and tries to ship each accepted one as
soon as it sees it, so the shop's answers, the buyers' requests and the captures cross
while the broker is gone. The services reach the broker through a TCP proxy
(tests/faults.py) that drops every connection and refuses new ones for a few seconds: a
real network fault with the real broker, which is shared with other test runs and never
stopped here. The `alone` variant restarts the broker itself; it runs on its own, after
the rest of the suite.
"""

from __future__ import annotations

import itertools
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests import support
from tests.faults import TcpProxy
from tests.saga.conftest import CAPTURE_FAILS, GOOD_CARD, Saga, saga_on

pytestmark = pytest.mark.integration

CHECKOUTS = 30
BUYERS = ("ada", "ben", "cleo")
# Final states that agree, with what the money must then be.
AGREEING = {
    # orders side: (shops side, its payment as the shop knows it)
    "shipped": ("shipped", "captured"),
    "declined": ("declined", None),
    "cancelled": ("cancelled", None),
    "payment_failed": ("cancelled", "failed"),
}


@contextmanager
def buyers_and_a_seller(saga: Saga) -> Iterator[dict]:
    """Buyers check out on a thread, the seller answers on another; yields their record."""
    record: dict = {"checkouts": 0, "decline": set(), "early_ships": 0, "errors": []}
    stop = threading.Event()

    def buy() -> None:
        cards = itertools.cycle([GOOD_CARD, GOOD_CARD, CAPTURE_FAILS])
        for number in range(CHECKOUTS):
            buyer = BUYERS[number % len(BUYERS)]
            order = saga.checkout(buyer, card=next(cards))
            part_id = order["parts"][0]["shop_order_id"]
            if number % 7 == 3:
                record["decline"].add(part_id)
            if number % 5 == 1:
                # Asked at once: it may reach the shop before or after the shop accepts.
                asked = saga.ask_to_cancel(buyer, order, reason="Changed my mind")
                if asked.status_code not in (200, 202, 409):
                    record["errors"].append(asked.get_json())
            record["checkouts"] = number + 1
            time.sleep(0.05)

    def sell() -> None:
        while not stop.is_set():
            for order in saga.shops.client.get(
                f"/shops/{saga.shop['id']}/orders", headers=saga.seller.headers()
            ).get_json()["orders"]:
                if order["status"] == "pending":
                    if order["id"] in record["decline"]:
                        saga.seller_does(order["id"], "decline", reason="Damaged in the shop")
                    else:
                        saga.seller_does(order["id"], "accept")
                elif order["status"] == "accepted":
                    # As soon as the seller sees it: a shop that may ship before the money
                    # is captured ships goods whose payment then fails.
                    if saga.ship(order["id"]).status_code == 409:
                        record["early_ships"] += 1
            time.sleep(0.1)

    buyer = threading.Thread(target=buy, daemon=True)
    seller = threading.Thread(target=sell, daemon=True)
    buyer.start()
    seller.start()
    try:
        yield record
        buyer.join(timeout=120)
        assert not buyer.is_alive(), "the buyers did not finish their checkouts"
    finally:
        stop.set()
        seller.join(timeout=30)


def disagreements(saga: Saga) -> list[str]:
    """Each part whose two sides do not agree, or whose money does not match its state."""
    found = []
    for part_id, part in saga.parts().items():
        expected = AGREEING.get(part["orders"])
        if expected is None or (part["shops"], part["payment"]) != expected:
            found.append(f"{part_id}: {part}")
            continue
        if part["orders"] == "shipped":
            money_ok = part["captured"] == part["authorized"] and part["voided"] == 0
        else:
            money_ok = part["voided"] == part["authorized"] and part["captured"] == 0
        if not money_ok or part["refunded"] != 0:
            found.append(f"{part_id}: money does not match {part['orders']}: {part}")
    return found


def run_with_a_fault(saga: Saga, *, down: Callable[[], None], up: Callable[[], None]) -> dict:
    saga.open_shop(quantity=1000)
    with saga.workers(), buyers_and_a_seller(saga) as record:
        support.wait_for(lambda: record["checkouts"] >= CHECKOUTS // 3, timeout=120)
        down()
        time.sleep(5)  # checkouts, answers and cancels go on meanwhile
        up()
        support.wait_for(lambda: record["checkouts"] == CHECKOUTS, timeout=120)
        # Every part reaches a final state on both sides, and they agree; what still
        # disagrees after that long is reported below.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and (
            len(saga.parts()) < CHECKOUTS or disagreements(saga)
        ):
            time.sleep(0.5)
    return record


def check_the_outcome(saga: Saga, record: dict) -> None:
    parts = saga.parts()
    assert len(parts) == CHECKOUTS
    assert disagreements(saga) == []
    assert record["errors"] == []
    states = [part["orders"] for part in parts.values()]
    # The run covered every way a part ends.
    assert {"shipped", "declined", "cancelled", "payment_failed"} <= set(states)
    # Stock went only with shipped parcels.
    assert saga.stock() == 1000 - states.count("shipped")
    assert saga.conflicts() == []


def test_broker_down_mid_run_both_sides_agree_and_money_matches(
    database_url: str, tmp_path: Path, amqp_prefix: str
):
    with (
        TcpProxy(support.AMQP_URL) as proxy,
        saga_on(database_url, tmp_path, amqp_prefix=amqp_prefix, amqp_url=proxy.url) as saga,
    ):
        record = run_with_a_fault(saga, down=proxy.down, up=proxy.up)
        check_the_outcome(saga, record)

    # Both workers' connections (consuming and publishing) were cut, at both ends.
    assert proxy.dropped >= 8
    # The seller tried to ship before the payment was confirmed, and was refused.
    assert record["early_ships"] > 0


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True)


@pytest.mark.alone
@pytest.mark.skipif(
    subprocess.run(["which", "rabbitmqctl"], capture_output=True).returncode != 0,
    reason="restarting the broker needs rabbitmqctl on this machine",
)
def test_broker_restarted_mid_run_both_sides_agree_and_money_matches(
    database_url: str, tmp_path: Path, amqp_prefix: str
):
    with saga_on(database_url, tmp_path, amqp_prefix=amqp_prefix) as saga:
        record = run_with_a_fault(
            saga,
            down=lambda: rabbitmqctl("stop_app"),
            up=lambda: (rabbitmqctl("start_app"), rabbitmqctl("await_startup")),
        )
        check_the_outcome(saga, record)
