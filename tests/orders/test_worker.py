"""The orders worker on the real broker: shops' answers reach the buyer's order page."""

from __future__ import annotations

import pytest

from services.common.contracts import (
    Envelope,
    Event,
    ShopOrderAccepted,
    ShopOrderDeclined,
    ShopOrderShipped,
    encode,
    wrap,
)
from services.orders.worker import build
from tests import support
from tests.orders.conftest import OrdersService
from tests.orders.factories import listing

pytestmark = pytest.mark.integration


def publish(service: OrdersService, *envelopes: Envelope) -> None:
    """Publish as the shops service's relay would: to the topology's exchange, confirmed."""
    support.publish(service.runtime.topology, *((e.type, encode(e)) for e in envelopes))


def shipped(part: dict, order: dict, **changes: object) -> Event:
    fields = {
        "shop_order_id": part["shop_order_id"],
        "order_id": order["id"],
        "shop_id": part["shop_id"],
        "note": "Thank you, Ada: this copy was my favourite. Happy reading!",
        "signed_by": "Margaret at Hogarth Books",
        "carrier": "Royal Mail",
        "tracking_number": "RM123456789GB",
        **changes,
    }
    return ShopOrderShipped(**fields)


def about(part: dict, order: dict, event_class: type[Event], **extra: object) -> Event:
    return event_class(
        shop_order_id=part["shop_order_id"], order_id=order["id"], shop_id=part["shop_id"], **extra
    )


def order_page(service: OrdersService, order: dict) -> dict:
    return service.client.get(
        f"/orders/{order['id']}", headers=support.auth_header("ada")
    ).get_json()


def two_shop_order(service: OrdersService) -> dict:
    a = service.listings.add(listing(shop_id="a"))
    b = service.listings.add(listing(shop_id="b"))
    return service.order_in_cart("ada", a, b)


def test_shop_order_shipped_shows_the_note_on_the_order(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part = order["parts"][0]
    publish(service, wrap(about(part, order, ShopOrderAccepted)), wrap(shipped(part, order)))

    with support.running(build(service.runtime)):
        shown = support.wait_for(
            lambda: (page := order_page(service, order))["parts"][0]["status"] == "shipped" and page
        )

    shown_part = shown["parts"][0]
    assert shown_part["note"] == "Thank you, Ada: this copy was my favourite. Happy reading!"
    assert shown_part["signed_by"] == "Margaret at Hogarth Books"
    assert (shown_part["carrier"], shown_part["tracking_number"]) == ("Royal Mail", "RM123456789GB")
    assert [entry["status"] for entry in shown_part["timeline"]] == [
        "placed",
        "accepted",
        "shipped",
    ]
    assert shown["parts"][1]["status"] == "placed"


def test_same_shipped_event_twice_makes_one_timeline_entry(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    first, second = order["parts"]
    envelope = wrap(shipped(first, order))
    publish(
        service,
        envelope,
        envelope,  # a redelivery: same message id
        wrap(shipped(first, order, note="sent again")),  # the same fact, a new message id
        # Handled last: once it shows, everything before it has been handled.
        wrap(about(second, order, ShopOrderDeclined, reason="sold at the fair on Sunday")),
    )

    with support.running(build(service.runtime)):
        shown = support.wait_for(
            lambda: (
                (page := order_page(service, order))["parts"][1]["status"] == "declined" and page
            )
        )

    assert [entry["status"] for entry in shown["parts"][0]["timeline"]] == [
        "placed",
        "accepted",
        "shipped",
    ]
    assert shown["parts"][0]["note"].startswith("Thank you, Ada")
    assert shown["parts"][1]["decline_reason"] == "sold at the fair on Sunday"


def test_answer_for_an_unknown_part_is_ignored_not_dead_lettered(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part = order["parts"][0]
    stranger = {"shop_order_id": "no-such-part", "shop_id": part["shop_id"]}
    publish(
        service,
        wrap(about(stranger, order, ShopOrderAccepted)),
        wrap(about(part, {"id": "another-order"}, ShopOrderAccepted)),
        wrap(about(part, order, ShopOrderAccepted)),
    )

    with support.running(build(service.runtime)):
        support.wait_for(lambda: order_page(service, order)["parts"][0]["status"] == "accepted")

    dead = service.runtime.topology.dead_letter_queue("orders")
    assert support.queue_depth(dead) == 0


def test_order_placed_events_are_relayed_to_the_shops_queue(orders_on_broker):
    service = orders_on_broker
    two_shop_order(service)
    shops_queue = service.runtime.topology.queue("shops")

    with support.running(build(service.runtime)):
        support.wait_for(lambda: support.queue_depth(shops_queue) == 2)

    assert all(row.sent_at is not None for row in service.outbox())
