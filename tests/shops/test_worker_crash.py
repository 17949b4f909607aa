"""The shops worker dies between reserving an order's stock and acknowledging its message:
nothing is lost and nothing happens twice.

The worker runs as a process of its own (`python -m services.shops.worker`'s main) on the
real broker and database. It is made to die at the moment it would send its first
acknowledgement, once the transaction that reserved the stock has committed: `os._exit`,
which leaves the message unacknowledged and the staged events unpublished, as SIGKILL
would. The broker hands the message to the next worker, which finds it in its inbox,
changes nothing, acknowledges it and publishes what the first one staged.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from services.common.contracts import encode, wrap
from services.shops.db import InboxMessage, Listing, ShopOrder
from tests import support
from tests.e2e.system import REPO
from tests.shops.conftest import order_placed, publish, unsent

pytestmark = pytest.mark.integration

DIED_AT_ACK = 70
# The shops worker's main, with every acknowledgement replaced by the process's death.
DIE_AT_FIRST_ACK = f"""
import os
from pika.adapters.blocking_connection import BlockingChannel
from services.shops import worker

BlockingChannel.basic_ack = lambda *_args, **_kwargs: os._exit({DIED_AT_ACK})
worker.main()
"""


def run_worker(service, *, die_at_first_ack: bool) -> subprocess.Popen:
    settings = service.runtime.settings
    env = {
        **os.environ,
        "SHOPS_DATABASE_URL": settings.resolved_database_url(),
        "AMQP_URL": settings.amqp_url,
        "AMQP_PREFIX": settings.amqp_prefix,
        "AMQP_DELIVERY_LIMIT": str(settings.amqp_delivery_limit),
        "SERVICE_TOKEN_SECRET": settings.service_token_secret,
        "LOG_LEVEL": "WARNING",
        "SHOPS_WORKER_PORT": "0",  # any free port: tests run side by side
    }
    command = ["-c", DIE_AT_FIRST_ACK] if die_at_first_ack else ["-m", "services.shops.worker"]
    return subprocess.Popen([sys.executable, *command], cwd=REPO, env=env)


def test_a_worker_killed_between_reserve_and_ack_loses_and_duplicates_nothing(
    shops_on_broker, seller
):
    service = shops_on_broker
    shop = service.open_shop(seller)
    service.patch_shop(seller, shop["id"], order_handling={"mode": "auto_accept"})
    listing = service.add_listing(seller, shop["id"], quantity=5)
    event = order_placed(shop["id"], [(listing, 2)])
    publish(service, (event, encode(wrap(event))))
    topology = service.runtime.topology
    shops_queue, orders_queue = topology.queue("shops"), topology.queue("orders")
    catalog_queue = topology.queue("catalog")

    dying = run_worker(service, die_at_first_ack=True)
    try:
        assert dying.wait(timeout=60) == DIED_AT_ACK
    finally:
        dying.kill()
    # It died after the reservation committed and before anything else left the process.
    assert service.get(ShopOrder, event.shop_order_id).stock_reserved
    assert service.get(Listing, listing["id"]).quantity == 3
    staged = unsent(service)
    assert staged >= 1
    support.wait_for(lambda: support.queue_depth(shops_queue) == 1)  # back in the queue
    assert support.queue_depth(orders_queue) == 0  # its acceptance is staged, not sent

    worker = run_worker(service, die_at_first_ack=False)
    try:
        support.wait_for(lambda: support.queue_depth(shops_queue) == 0, timeout=30)
        support.wait_for(lambda: unsent(service) == 0, timeout=30)
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    assert service.get(Listing, listing["id"]).quantity == 3
    assert service.count(ShopOrder) == 1
    assert service.count(InboxMessage) == 1
    # What the first worker staged for the orders service went out once, by the second.
    # Everything staged went out exactly once: the shop's acceptance to the orders service,
    # the shop and its listing's states to the catalog.
    accepted = service.outbox("shop_order.accepted")
    assert [a["shop_order_id"] for a in accepted] == [event.shop_order_id]
    # The orders queue holds the acceptance and the shop's members (orders follows them).
    members = len(service.outbox("shop.members_changed"))
    support.wait_for(lambda: support.queue_depth(orders_queue) == 1 + members)
    # The shop's members go to the notifications and orders services, not the catalog.
    to_catalog = len(service.outbox()) - 1 - len(service.outbox("shop.members_changed"))
    support.wait_for(lambda: support.queue_depth(catalog_queue) == to_catalog)
