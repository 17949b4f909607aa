"""One correlation id follows an order through every process: from the HTTP request into
the outbox row, the message's properties, the consumer's log lines, and the outbox rows the
consumer writes in turn. On the real broker and database."""

from __future__ import annotations

import logging

import pika
import pytest
from sqlalchemy import select

from services.common import correlation
from services.common.contracts import decode, encode, wrap
from services.common.correlation import CorrelationFilter
from services.common.messaging.worker import connection_parameters
from services.shops import worker as shops_worker
from services.shops.db import OutboxMessage
from tests import support
from tests.common.messaging_fixture import build, shop_event
from tests.shops.conftest import build_service, make_seller, order_placed

pytestmark = pytest.mark.integration


def correlation_ids(service, event_type: str) -> list[str | None]:
    query = select(OutboxMessage.correlation_id).where(OutboxMessage.event_type == event_type)
    with service.runtime.session_factory() as session:
        return list(session.scalars(query))


@pytest.fixture
def shops(database_url, amqp_prefix):
    service = build_service(database_url, amqp_prefix=amqp_prefix)
    yield service
    service.runtime.engine.dispose()


def test_the_request_id_reaches_the_outbox_and_comes_back_on_the_response(shops):
    seller = make_seller()
    body = {"name": "Rue des Livres", "signature": "Camille"}
    headers = seller.headers() | {"X-Request-ID": "req-7f3a.1"}
    response = shops.client.post("/shops", json=body, headers=headers)
    assert response.status_code == 201
    assert response.headers["X-Request-ID"] == "req-7f3a.1"
    assert correlation_ids(shops, "shop.updated") == ["req-7f3a.1"]

    # No id, or one that is not an id, gets a new one: a client never writes into the logs.
    for sent in ({}, {"X-Request-ID": "two words; and <more>"}, {"X-Request-ID": "x" * 65}):
        response = shops.client.get("/healthz", headers=sent)
        assert len(response.headers["X-Request-ID"]) == 32


def test_a_consumer_carries_the_message_s_id_into_its_own_outbox_and_messages(shops):
    seller = make_seller()
    shop = shops.open_shop(seller)
    shops.patch_shop(seller, shop["id"], order_handling={"mode": "auto_accept"})
    listing = shops.add_listing(seller, shop["id"], quantity=3)
    event = order_placed(shop["id"], [(listing, 1)])
    topology = shops.runtime.topology

    connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
    try:
        channel = connection.channel()
        topology.declare(channel)
        channel.confirm_delivery()
        channel.basic_publish(
            topology.exchange,
            event.routing_key(),
            encode(wrap(event)),
            pika.BasicProperties(delivery_mode=2, correlation_id="checkout-42"),
            mandatory=True,
        )
        with support.running(shops_worker.build(shops.runtime)):
            support.wait_for(lambda: correlation_ids(shops, "shop_order.accepted"))
            # The orders queue also hears of the shop's members, published when it opened.
            support.wait_for(lambda: support.queue_depth(topology.queue("orders")) == 2)
        assert correlation_ids(shops, "shop_order.accepted") == ["checkout-42"]
        # The orders service receives the shop's answer with the same id.
        answers = []
        while True:
            method, properties, body = channel.basic_get(topology.queue("orders"), auto_ack=True)
            if method is None:
                break
            if decode(body)[0].type == "shop_order.accepted":
                answers.append(properties.correlation_id)
        assert answers == ["checkout-42"]
    finally:
        connection.close()


def test_the_consumer_s_log_lines_name_the_message_s_correlation_id(
    database_url, broker, amqp_prefix, caplog
):
    fixture = build(database_url, broker, amqp_prefix)
    fixture.fail_names.add("flaky")
    caplog.handler.addFilter(CorrelationFilter())
    with caplog.at_level(logging.DEBUG, logger="services.common.messaging.consumer"):
        with support.running(fixture.worker()):
            with correlation.bound("basket-9"):
                fixture.publish_via_outbox(shop_event("flaky"))
            with correlation.bound("basket-10"):
                fixture.publish_via_outbox(shop_event("steady"))
            support.wait_for(lambda: fixture.seen() == ["steady"])
            support.wait_for(
                lambda: any(r.message.startswith("handler failed") for r in caplog.records)
            )
    fixture.runtime.engine.dispose()
    failures = [r for r in caplog.records if r.message.startswith("handler failed")]
    assert {record.correlation_id for record in failures} == {"basket-9"}
    handled = [r for r in caplog.records if r.message == "message handled"]
    assert [record.correlation_id for record in handled] == ["basket-10"]
