"""Webhook deliveries: signed, retried until answered, never held up by another shop."""

from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta

import pytest

from services.common.contracts import (
    MessagePosted,
    OrderCancellationRequested,
    OrderPaymentCaptured,
    OrderPaymentFailed,
    Reputation,
    ReviewPosted,
)
from services.shops.db import WebhookDelivery, WebhookEndpoint
from services.shops.webhooks.rules import SIGNATURE_HEADER, verify
from tests.shops.webhooks.conftest import hooked_shop, make_sender, run_until

pytestmark = pytest.mark.integration


def test_a_receiver_failing_three_times_gets_the_delivery_once_signed(local_shops, receivers):
    receiver = receivers(answer=lambda n: 500 if n < 3 else 200)
    hooked = hooked_shop(local_shops, receiver.url)
    event = hooked.place_order()
    sender = make_sender(local_shops)

    run_until(sender, lambda: any(r.answered == 200 for r in receiver.received))
    time.sleep(0.3)
    while sender.step() or sender.busy():
        time.sleep(0.05)

    assert [r.answered for r in receiver.received] == [500, 500, 500, 200]
    bodies = {r.body for r in receiver.received}
    assert len(bodies) == 1  # the same delivery each time, with one id
    payload = json.loads(bodies.pop())
    assert payload["type"] == "order.placed"
    assert payload["data"]["id"] == event.shop_order_id
    for attempt in receiver.received:
        assert verify(hooked.endpoint["secret"], attempt.headers[SIGNATURE_HEADER], attempt.body)
    assert not verify("whsec_another", receiver.received[-1].headers[SIGNATURE_HEADER], b"{}")
    [delivery] = local_shops.client.get(
        f"/shops/{hooked.shop['id']}/webhooks/{hooked.endpoint['id']}/deliveries",
        headers=hooked.owner.headers(),
    ).get_json()["deliveries"]
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == (
        "delivered",
        4,
        200,
    )


def test_a_receiver_that_hangs_does_not_delay_another_shops_deliveries(local_shops, receivers):
    hanging = receivers(delay=2.5)
    quick = receivers()
    slow_shop = hooked_shop(local_shops, hanging.url, "Ada")
    quick_shop = hooked_shop(local_shops, quick.url, "Bea")
    for _ in range(3):
        slow_shop.place_order()
    quick_shop.place_order()
    sender = make_sender(local_shops, threads=2)

    took = run_until(sender, lambda: len(quick.received) == 1, seconds=2.0)

    assert took < 1.0
    assert hanging.received == []  # still waiting for its first answer
    run_until(sender, lambda: len(hanging.received) >= 1, seconds=10.0)


def test_an_endpoint_failing_for_its_whole_grace_is_switched_off(local_shops, receivers):
    receiver = receivers(answer=lambda _n: 503)
    hooked = hooked_shop(local_shops, receiver.url)
    hooked.place_order()
    sender = make_sender(local_shops, give_up_after=timedelta(milliseconds=300))
    run_until(sender, lambda: len(receiver.received) >= 1)
    # Past the grace since that first failure, another event fails too. (A slow first turn
    # can give up on the first delivery after one try, as its own grace began when it was
    # made: the endpoint's grace is counted from its first failure.)
    time.sleep(0.4)
    hooked.place_order()

    run_until(sender, lambda: local_shops.get(WebhookEndpoint, hooked.endpoint["id"]).disabled_at)

    endpoint = local_shops.client.get(
        f"/shops/{hooked.shop['id']}/webhooks", headers=hooked.owner.headers()
    ).get_json()["endpoints"][0]
    assert endpoint["disabled_at"] and "503" in endpoint["disabled_reason"]
    [told] = local_shops.outbox("shop.webhook_disabled")  # its people get a mail
    assert (told["endpoint_id"], told["url"]) == (hooked.endpoint["id"], receiver.url)
    calls = len(receiver.received)
    hooked.place_order()  # no delivery is queued for a switched-off endpoint
    time.sleep(0.2)
    sender.step()
    time.sleep(0.2)
    assert len(receiver.received) == calls


def test_a_delivery_is_sent_again_by_hand(local_shops, receivers):
    receiver = receivers()
    hooked = hooked_shop(local_shops, receiver.url)
    hooked.place_order()
    sender = make_sender(local_shops)
    run_until(sender, lambda: len(receiver.received) == 1)
    while sender.busy():
        time.sleep(0.02)
    with local_shops.runtime.session_factory() as session:
        delivery_id = session.query(WebhookDelivery.id).scalar()

    resent = local_shops.client.post(
        f"/shops/{hooked.shop['id']}/webhooks/deliveries/{delivery_id}/resend",
        headers=hooked.owner.headers(),
    )

    assert resent.status_code == 200
    run_until(sender, lambda: len(receiver.received) == 2)
    assert receiver.received[0].body == receiver.received[1].body


def test_only_the_events_an_endpoint_wants_are_queued(local_shops, receivers):
    receiver = receivers()
    hooked = hooked_shop(local_shops, receiver.url, events=["order.cancelled"])
    hooked.place_order()
    assert local_shops.count(WebhookDelivery) == 0


def test_reviews_and_the_buyers_messages_reach_the_shops_endpoint(local_shops, receivers):
    receiver = receivers()
    hooked = hooked_shop(local_shops, receiver.url, events=["review.posted", "message.received"])
    shop_id = hooked.shop["id"]
    review = ReviewPosted(
        review_id=str(uuid.uuid4()),
        shop_id=shop_id,
        shop_order_id=str(uuid.uuid4()),
        rating=5,
        text="Lovely parcel",
        reputation=Reputation(average=5, count=1, positive_share=1, revision=1),
    )
    message = {
        "message_id": str(uuid.uuid4()),
        "conversation_id": str(uuid.uuid4()),
        "shop_id": shop_id,
        "buyer_user_id": str(uuid.uuid4()),
        "sender_name": "Ben",
        "subject": "About the rose",
        "excerpt": "Is it signed?",
    }
    assert local_shops.deliver(review)
    assert local_shops.deliver(MessagePosted(**message, from_side="buyer"))
    assert local_shops.deliver(MessagePosted(**message | {"message_id": "x"}, from_side="shop"))

    run_until(make_sender(local_shops), lambda: len(receiver.received) == 2)
    kinds = sorted(json.loads(r.body)["type"] for r in receiver.received)
    assert kinds == ["message.received", "review.posted"]
    assert local_shops.count(WebhookDelivery) == 2  # the shop's own message is not news


def delivered_kinds(hooked) -> list[str]:
    deliveries = hooked.service.client.get(
        f"/shops/{hooked.shop['id']}/webhooks/{hooked.endpoint['id']}/deliveries",
        headers=hooked.owner.headers(),
    ).get_json()["deliveries"]
    return sorted(delivery["event_type"] for delivery in deliveries)


def ids(order) -> dict[str, str]:
    return {
        "order_id": order.order_id,
        "shop_order_id": order.shop_order_id,
        "shop_id": order.shop_id,
    }


def test_the_sagas_outcomes_reach_the_shops_endpoint(local_shops, receivers):
    events = ["order.paid", "order.cancelled"]
    hooked = hooked_shop(local_shops, receivers().url, events=events)
    paid, failed, withdrawn = (hooked.place_order() for _ in range(3))
    orders = f"/shops/{hooked.shop['id']}/orders"
    for order in (paid, failed):
        accepted = local_shops.client.post(
            f"{orders}/{order.shop_order_id}/accept", headers=hooked.owner.headers()
        )
        assert accepted.status_code == 200
    assert local_shops.deliver(OrderPaymentCaptured(**ids(paid), amount=paid.subtotal))
    assert local_shops.deliver(OrderPaymentFailed(**ids(failed), reason="card declined"))
    assert local_shops.deliver(OrderCancellationRequested(**ids(withdrawn), reason="changed"))
    # Told again, nothing new happens, so nothing new is sent.
    assert local_shops.deliver(OrderPaymentCaptured(**ids(paid), amount=paid.subtotal))

    assert delivered_kinds(hooked) == ["order.cancelled", "order.cancelled", "order.paid"]
