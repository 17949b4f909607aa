"""Orders reaching the shops: stock reserved once, atomically, through the real broker."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from services.common.contracts import OrderCancelled, encode, wrap
from services.shops import stock
from services.shops.db import InboxMessage, Listing, ShopOrder
from services.shops.worker import build
from tests import support
from tests.shops.conftest import order_placed, publish, unsent

pytestmark = pytest.mark.integration


def test_order_placed_on_the_broker_records_the_order_and_reserves_stock(shops_on_broker, seller):
    service = shops_on_broker
    shop = service.open_shop(seller)
    listing = service.add_listing(seller, shop["id"], quantity=3)
    event = order_placed(shop["id"], [(listing, 2)])

    publish(service, (event, encode(wrap(event))))
    with support.running(build(service.runtime)):
        support.wait_for(lambda: service.get(ShopOrder, event.shop_order_id))
        # The relay publishes what the handler staged: the catalog learns the new stock.
        support.wait_for(lambda: unsent(service) == 0)

    order = service.get(ShopOrder, event.shop_order_id)
    assert (order.status, order.stock_reserved, order.buyer_name) == ("pending", True, "Ada Reader")
    stocked = service.get(Listing, listing["id"])
    assert (stocked.quantity, stocked.revision) == (1, 2)
    upserted = service.outbox("listing.upserted")[-1]
    assert (upserted["quantity"], upserted["revision"]) == (1, 2)
    assert support.queue_depth(service.runtime.topology.queue("catalog")) >= 1


def test_order_placed_delivered_twice_reserves_once(shops_on_broker, seller):
    service = shops_on_broker
    shop = service.open_shop(seller)
    listing = service.add_listing(seller, shop["id"], quantity=5)
    event = order_placed(shop["id"], [(listing, 2)])
    body = encode(wrap(event))
    marker = order_placed(shop["id"], [(listing, 1)])

    publish(service, (event, body), (event, body), (marker, encode(wrap(marker))))
    with support.running(build(service.runtime)):
        support.wait_for(lambda: service.get(ShopOrder, marker.shop_order_id))

    assert service.get(Listing, listing["id"]).quantity == 2
    assert service.count(ShopOrder) == 2
    assert service.count(InboxMessage) == 2


def test_place_order_of_the_same_part_under_a_new_message_id_does_nothing(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=5)
    event = order_placed(shop["id"], [(listing, 2)])

    assert shops.deliver(event) is True
    assert shops.deliver(event) is True  # a fresh envelope: only the shop order id dedupes

    assert shops.get(Listing, listing["id"]).quantity == 3
    assert shops.count(ShopOrder) == 1


def test_place_order_of_the_same_part_twice_in_one_transaction_reserves_once(shops, seller):
    # The worker applies a batch of messages in one transaction: the second copy of a part
    # must see the first one's row before the batch commits.
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=5)
    event = order_placed(shop["id"], [(listing, 2)])

    with shops.runtime.session_factory.begin() as session:
        assert stock.place_order(session, event) is not None
        assert stock.place_order(session, event) is None

    assert shops.get(Listing, listing["id"]).quantity == 3
    assert shops.count(ShopOrder) == 1
    assert len(shops.outbox("listing.upserted")) == 2  # the listing's creation, one order


def test_orders_for_one_listing_in_one_transaction_announce_its_last_state_once(shops, seller):
    # Only the batch's last state of the listing is ever seen outside its transaction.
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=5)
    other = shops.add_listing(seller, shop["id"], quantity=5)

    with shops.runtime.session_factory.begin() as session:
        stock.place_order(session, order_placed(shop["id"], [(listing, 1)]))
        stock.place_order(session, order_placed(shop["id"], [(listing, 1), (other, 1)]))
        stock.place_order(session, order_placed(shop["id"], [(listing, 1)]))
    with shops.runtime.session_factory.begin() as session:
        stock.place_order(session, order_placed(shop["id"], [(listing, 1)]))

    announced = [
        (payload["listing_id"], payload["quantity"], payload["revision"])
        for payload in shops.outbox("listing.upserted")[2:]  # after the two creations
    ]
    assert announced == [(other["id"], 4, 2), (listing["id"], 2, 4), (listing["id"], 1, 5)]


def test_cancel_order_in_the_transaction_that_placed_it_gives_the_stock_back(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=2)
    event = order_placed(shop["id"], [(listing, 2)])
    cancel = OrderCancelled(
        order_id=event.order_id,
        shop_order_id=event.shop_order_id,
        shop_id=shop["id"],
        reason="payment failed",
    )

    with shops.runtime.session_factory.begin() as session:
        stock.place_order(session, event)
        stock.cancel_order(session, cancel)

    order = shops.get(ShopOrder, event.shop_order_id)
    assert (order.status, order.stock_reserved) == ("cancelled", False)
    assert shops.get(Listing, listing["id"]).quantity == 2
    # The creation, then the stock given back; the reservation's state never left the
    # transaction.
    announced = [(p["quantity"], p["revision"]) for p in shops.outbox("listing.upserted")]
    assert announced == [(2, 1), (2, 3)]


def test_place_order_announces_each_listing_whole_as_the_reservation_left_it(shops, seller):
    shop = shops.open_shop(seller)
    first = shops.add_listing(
        seller,
        shop["id"],
        title="First",
        sku="F-1",
        year=1980,
        binding="Hardcover",
        publisher="Harcourt",
        condition_notes="Spine faded",
        description="A monastery, a library, a murder.",
        categories=["fiction", "mystery"],
        photos=["https://example.org/rose.jpg"],
        quantity=3,
    )
    second = shops.add_listing(seller, shop["id"], title="Second", isbn=None, quantity=4)
    event = order_placed(shop["id"], [(first, 1), (second, 2), (first, 1)])

    shops.deliver(event)

    announced = {payload["listing_id"]: payload for payload in shops.outbox("listing.upserted")}
    for listing in (first, second):
        shown = shops.client.get(f"/listings/{listing['id']}").get_json()
        payload = announced[listing["id"]]
        assert payload["revision"] == shown["revision"] == 2
        assert payload["quantity"] == listing["quantity"] - 2
        assert moment(payload["updated_at"]) > moment(listing["updated_at"])
        for key in MOMENTS:
            assert moment(payload[key]) == moment(shown[key])
        same = [key for key in shown if key not in ("id", "shop", "purchasable", *MOMENTS)]
        assert {key: payload[key] for key in same} == {key: shown[key] for key in same}


MOMENTS = ("created_at", "updated_at")


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_place_order_declines_when_any_line_is_short_and_reserves_nothing(shops, seller):
    shop = shops.open_shop(seller)
    plenty = shops.add_listing(seller, shop["id"], title="Plenty", quantity=5)
    scarce = shops.add_listing(seller, shop["id"], title="Scarce", quantity=1)
    before = len(shops.outbox("listing.upserted"))
    event = order_placed(shop["id"], [(plenty, 2), (scarce, 2)])

    shops.deliver(event)

    order = shops.get(ShopOrder, event.shop_order_id)
    assert (order.status, order.decline_reason) == ("declined", "Out of stock: Scarce")
    assert order.stock_reserved is False
    assert shops.get(Listing, plenty["id"]).quantity == 5
    assert shops.get(Listing, plenty["id"]).revision == 1
    assert len(shops.outbox("listing.upserted")) == before
    [declined] = shops.outbox("shop_order.declined")
    assert declined["reason"] == "Out of stock: Scarce"


def test_place_order_declines_a_listing_of_another_shop(shops, seller):
    shop = shops.open_shop(seller)
    other_seller = type(seller)(user_id="other", name="Other")
    other_listing = shops.add_listing(
        other_seller, shops.open_shop(other_seller, name="Other")["id"], title="Not yours"
    )
    event = order_placed(shop["id"], [(other_listing, 1)])

    shops.deliver(event)

    assert shops.get(ShopOrder, event.shop_order_id).decline_reason == (
        "No longer available: Not yours"
    )
    assert shops.get(Listing, other_listing["id"]).quantity == 2


def test_place_order_for_an_unknown_shop_is_declined_without_a_record(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"])
    event = order_placed("00000000-0000-0000-0000-000000000000", [(listing, 1)])

    shops.deliver(event)

    assert shops.count(ShopOrder) == 0
    assert shops.outbox("shop_order.declined")[0]["shop_order_id"] == event.shop_order_id


def test_cancel_order_gives_the_stock_back(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=1)
    event = order_placed(shop["id"], [(listing, 1)])
    shops.deliver(event)
    assert shops.get(Listing, listing["id"]).quantity == 0

    cancel = OrderCancelled(
        order_id=event.order_id,
        shop_order_id=event.shop_order_id,
        shop_id=shop["id"],
        reason="payment failed",
    )
    shops.deliver(cancel)
    shops.deliver(cancel)  # a second cancellation finds nothing left to give back

    order = shops.get(ShopOrder, event.shop_order_id)
    assert (order.status, order.cancel_reason, order.stock_reserved) == (
        "cancelled",
        "payment failed",
        False,
    )
    restored = shops.get(Listing, listing["id"])
    assert (restored.quantity, restored.revision) == (1, 3)
    assert shops.outbox("listing.upserted")[-1]["quantity"] == 1


def test_place_order_races_for_the_last_copy_leave_one_winner(fresh_shops, seller):
    shops = fresh_shops
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], title="Last copy", quantity=1)
    events = [order_placed(shop["id"], [(listing, 1)]) for _ in range(20)]
    start = threading.Barrier(len(events))
    failures: list[BaseException] = []

    def apply(event) -> None:
        start.wait()
        try:
            shops.deliver(event)
        except BaseException as error:  # collected, so the test reports it
            failures.append(error)

    threads = [threading.Thread(target=apply, args=(event,)) for event in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    with shops.runtime.session_factory() as session:
        statuses = sorted(order.status for order in session.query(ShopOrder))
    assert statuses == ["declined"] * 19 + ["pending"]
    assert shops.get(Listing, listing["id"]).quantity == 0
    assert len(shops.outbox("shop_order.declined")) == 19


def test_cancel_order_after_the_seller_declined_gives_nothing_back_twice(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=2)
    event = order_placed(shop["id"], [(listing, 2)])
    shops.deliver(event)
    shops.client.post(
        f"/shops/{shop['id']}/orders/{event.shop_order_id}/decline",
        json={"reason": "Closed for the summer"},
        headers=seller.headers(),
    )
    assert shops.get(Listing, listing["id"]).quantity == 2

    shops.deliver(
        OrderCancelled(
            order_id=event.order_id,
            shop_order_id=event.shop_order_id,
            shop_id=shop["id"],
            reason="buyer cancelled",
        )
    )

    assert shops.get(ShopOrder, event.shop_order_id).status == "declined"
    assert shops.get(Listing, listing["id"]).quantity == 2
