"""Auto-accept, the response window, and vacation: how a shop answers its orders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.common.clock import utcnow
from services.common.contracts import Money, OrderCancelled, OrderExtraChargeAnswered, wrap
from services.shops.db import Listing, ShopOrder
from services.shops.deadlines import decline_overdue
from tests.shops.conftest import order_placed

pytestmark = pytest.mark.integration


def test_order_for_an_auto_accept_shop_is_reserved_and_accepted_at_once(shops, seller):
    shop = shops.open_shop(seller)
    shops.patch_shop(seller, shop["id"], order_handling={"mode": "auto_accept"})
    listing = shops.add_listing(seller, shop["id"], quantity=2)
    event = order_placed(shop["id"], [(listing, 1)])

    shops.deliver(event)

    order = shops.get(ShopOrder, event.shop_order_id)
    assert (order.status, order.stock_reserved, order.respond_by) == ("accepted", True, None)
    assert shops.get(Listing, listing["id"]).quantity == 1
    assert shops.outbox("shop_order.accepted") == [
        {"shop_order_id": event.shop_order_id, "order_id": event.order_id, "shop_id": shop["id"]}
    ]


def test_order_for_a_manual_shop_carries_its_answer_deadline(shops, seller):
    shop = shops.open_shop(seller)
    shops.patch_shop(seller, shop["id"], order_handling={"response_hours": 24})
    listing = shops.add_listing(seller, shop["id"])
    event = order_placed(shop["id"], [(listing, 1)])

    shops.deliver(event)

    body = shops.client.get(
        f"/shops/{shop['id']}/orders/{event.shop_order_id}", headers=seller.headers()
    ).get_json()
    order = shops.get(ShopOrder, event.shop_order_id)
    assert body["status"] == "pending"
    assert order.respond_by - order.received_at == timedelta(hours=24)
    assert body["respond_by"] is not None
    assert shops.outbox("shop_order.accepted") == []


def test_decline_overdue_declines_unanswered_orders_and_gives_the_stock_back(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=2)
    late, answered = (order_placed(shop["id"], [(listing, 1)]) for _ in range(2))
    shops.deliver(late)
    shops.deliver(answered)
    shops.client.post(
        f"/shops/{shop['id']}/orders/{answered.shop_order_id}/accept", headers=seller.headers()
    )

    assert decline_overdue(shops.runtime.session_factory) == 0
    declined = decline_overdue(
        shops.runtime.session_factory, now=utcnow() + timedelta(hours=48, minutes=1)
    )

    assert declined == 1
    order = shops.get(ShopOrder, late.shop_order_id)
    assert (order.status, order.stock_reserved) == ("declined", False)
    assert order.decline_reason == "The shop did not answer within 48 hours"
    assert shops.get(ShopOrder, answered.shop_order_id).status == "accepted"
    assert shops.get(Listing, listing["id"]).quantity == 1
    assert shops.outbox("shop_order.declined")[-1]["reason"] == order.decline_reason
    assert shops.outbox("listing.upserted")[-1]["quantity"] == 1


def test_order_for_a_shop_on_vacation_is_declined_without_touching_stock(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=1)
    shops.patch_shop(seller, shop["id"], on_vacation=True)
    event = order_placed(shop["id"], [(listing, 1)])

    shops.deliver(event)

    assert shops.get(ShopOrder, event.shop_order_id).status == "declined"
    assert shops.get(Listing, listing["id"]).quantity == 1
    assert "vacation" in shops.outbox("shop_order.declined")[-1]["reason"]


def _pending_with_extra_charge(shops, seller, *, hours: int = 24):
    shop = shops.open_shop(seller)
    shops.patch_shop(seller, shop["id"], order_handling={"response_hours": hours})
    listing = shops.add_listing(seller, shop["id"], quantity=2)
    event = order_placed(shop["id"], [(listing, 1)])
    shops.deliver(event)
    response = shops.client.post(
        f"/shops/{shop['id']}/orders/{event.shop_order_id}/extra-charge",
        json={"amount": 450, "reason": "faster post"},
        headers=seller.headers(),
    )
    assert response.status_code == 201, response.get_json()
    return shop, listing, event, response.get_json()["extra_charge"]["id"]


def _answer(event, proposal_id: str, answer: str) -> OrderExtraChargeAnswered:
    return OrderExtraChargeAnswered(
        shop_order_id=event.shop_order_id,
        order_id=event.order_id,
        shop_id=event.shop_id,
        proposal_id=proposal_id,
        answer=answer,
        amount=Money(amount=450, currency="EUR"),
    )


def test_open_extra_charge_keeps_the_order_from_being_declined_for_silence(shops, seller):
    _shop, _listing, event, _proposal = _pending_with_extra_charge(shops, seller)

    assert decline_overdue(shops.runtime.session_factory, now=utcnow() + timedelta(days=30)) == 0
    assert shops.get(ShopOrder, event.shop_order_id).status == "pending"


def test_accepted_extra_charge_opens_a_fresh_window_and_counts_once(shops, seller):
    shop, _listing, event, proposal = _pending_with_extra_charge(shops, seller, hours=24)
    envelope = wrap(_answer(event, proposal, "accepted"))

    assert shops.deliver(_answer(event, proposal, "accepted"), envelope)
    assert not shops.deliver(_answer(event, proposal, "accepted"), envelope)  # redelivered
    shops.deliver(_answer(event, proposal, "accepted"))  # the same answer, a new message id

    order = shops.get(ShopOrder, event.shop_order_id)
    assert (order.extra_charge_status, order.extra_charged_amount) == ("accepted", 450)
    assert order.respond_by - order.extra_charge_answered_at == timedelta(hours=24)
    body = shops.client.get(
        f"/shops/{shop['id']}/orders/{event.shop_order_id}", headers=seller.headers()
    ).get_json()
    assert body["total"]["amount"] == body["subtotal"]["amount"] + body["shipping"]["amount"] + 450
    # Unanswered again, it is declined after the fresh window, which the reason names.
    later = utcnow() + timedelta(hours=24, minutes=1)
    assert decline_overdue(shops.runtime.session_factory, now=later) == 1
    assert shops.get(ShopOrder, event.shop_order_id).decline_reason == (
        "The shop did not answer within 24 hours"
    )


def test_shop_accepts_once_the_buyer_agreed(shops, seller):
    shop, _listing, event, proposal = _pending_with_extra_charge(shops, seller)
    shops.deliver(_answer(event, proposal, "accepted"))

    response = shops.client.post(
        f"/shops/{shop['id']}/orders/{event.shop_order_id}/accept", headers=seller.headers()
    )

    assert response.status_code == 200
    assert shops.get(ShopOrder, event.shop_order_id).status == "accepted"


def test_refused_extra_charge_and_the_cancellation_give_the_stock_back(shops, seller):
    _shop, listing, event, proposal = _pending_with_extra_charge(shops, seller)
    cancelled = OrderCancelled(
        order_id=event.order_id,
        shop_order_id=event.shop_order_id,
        shop_id=event.shop_id,
        reason="The buyer refused the extra charge of EUR 4.50 (faster post).",
    )
    # The cancellation may be handled first: the refusal still says why.
    shops.deliver(cancelled)
    shops.deliver(_answer(event, proposal, "refused"))

    order = shops.get(ShopOrder, event.shop_order_id)
    assert (order.status, order.extra_charge_status, order.extra_charged_amount) == (
        "cancelled",
        "refused",
        0,
    )
    assert order.cancel_reason.startswith("The buyer refused the extra charge")
    assert shops.get(Listing, listing["id"]).quantity == 2
