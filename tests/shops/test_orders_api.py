"""The seller's side of an order over HTTP: accept, decline with a reason, ship with a note."""

from __future__ import annotations

import uuid

import pytest

from services.common.contracts import Money, OrderPaymentCaptured
from services.shops.db import Listing, OutboxMessage, ShopOrder
from tests.shops.conftest import make_seller, order_placed

pytestmark = pytest.mark.integration


@pytest.fixture
def placed(shops, seller):
    """A shop with one listing of 3 copies and a pending order for 2 of them."""
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=3)
    event = order_placed(shop["id"], [(listing, 2)])
    shops.deliver(event)
    return shop, listing, event


def order_url(shop: dict, event) -> str:
    return f"/shops/{shop['id']}/orders/{event.shop_order_id}"


def test_shop_orders_lists_the_orders_newest_first(shops, seller, placed):
    shop, listing, first = placed
    second = order_placed(shop["id"], [(listing, 1)])
    shops.deliver(second)

    response = shops.client.get(f"/shops/{shop['id']}/orders", headers=seller.headers())

    orders = response.get_json()["orders"]
    assert [order["id"] for order in orders] == [second.shop_order_id, first.shop_order_id]
    assert orders[1]["buyer"] == {"user_id": first.buyer.user_id, "name": "Ada Reader"}
    assert orders[1]["lines"][0]["quantity"] == 2
    assert orders[1]["subtotal"] == {"amount": 2500, "currency": "EUR"}


def test_accept_order_stages_shop_order_accepted(shops, seller, placed):
    shop, _listing, event = placed
    response = shops.client.post(order_url(shop, event) + "/accept", headers=seller.headers())

    assert response.status_code == 200
    assert response.get_json()["status"] == "accepted"
    assert shops.outbox("shop_order.accepted") == [
        {"shop_order_id": event.shop_order_id, "order_id": event.order_id, "shop_id": shop["id"]}
    ]


def test_accept_order_twice_is_a_conflict(shops, seller, placed):
    shop, _listing, event = placed
    shops.client.post(order_url(shop, event) + "/accept", headers=seller.headers())
    before = shops.count(OutboxMessage)

    response = shops.client.post(order_url(shop, event) + "/accept", headers=seller.headers())

    assert response.status_code == 409
    assert "this order is accepted" in response.get_json()["error"]
    assert shops.count(OutboxMessage) == before


def test_decline_order_gives_the_stock_back_and_tells_why(shops, seller, placed):
    shop, listing, event = placed
    assert shops.get(Listing, listing["id"]).quantity == 1

    response = shops.client.post(
        order_url(shop, event) + "/decline",
        json={"reason": "The copy has water damage"},
        headers=seller.headers(),
    )

    assert response.status_code == 200
    assert response.get_json()["decline_reason"] == "The copy has water damage"
    restored = shops.get(Listing, listing["id"])
    assert (restored.quantity, restored.revision) == (3, 3)
    [declined] = shops.outbox("shop_order.declined")
    assert declined["reason"] == "The copy has water damage"
    assert shops.outbox("listing.upserted")[-1]["quantity"] == 3


def test_decline_order_needs_a_reason(shops, seller, placed):
    shop, _listing, event = placed
    before = shops.count(OutboxMessage)
    for body in ({}, {"reason": "   "}):
        response = shops.client.post(
            order_url(shop, event) + "/decline", json=body, headers=seller.headers()
        )
        assert response.status_code == 422
        assert "reason" in response.get_json()["fields"]
    assert shops.get(ShopOrder, event.shop_order_id).status == "pending"
    assert shops.count(OutboxMessage) == before


def accepted_and_paid(shops, seller, shop, event) -> None:
    """Accepted by the seller, and its payment captured by the orders side."""
    shops.client.post(order_url(shop, event) + "/accept", headers=seller.headers())
    shops.deliver(payment_captured(event))


def payment_captured(event) -> OrderPaymentCaptured:
    return OrderPaymentCaptured(
        order_id=event.order_id,
        shop_order_id=event.shop_order_id,
        shop_id=event.shop_id,
        amount=Money(amount=event.subtotal.amount + event.shipping.amount, currency="EUR"),
    )


def test_ship_order_signs_the_note_with_the_shops_signature(shops, seller, placed):
    shop, _listing, event = placed
    accepted_and_paid(shops, seller, shop, event)

    response = shops.client.post(
        order_url(shop, event) + "/ship",
        json={"note": "Thank you, Ada! Enjoy the abbey.", "carrier": "La Poste"},
        headers=seller.headers(),
    )

    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["signed_by"]) == ("shipped", "Camille, the bookseller")
    [shipped] = shops.outbox("shop_order.shipped")
    assert shipped["note"] == "Thank you, Ada! Enjoy the abbey."
    assert shipped["signed_by"] == "Camille, the bookseller"
    assert (shipped["carrier"], shipped["tracking_number"]) == ("La Poste", None)


def test_ship_order_refuses_a_pending_order(shops, seller, placed):
    shop, _listing, event = placed
    response = shops.client.post(
        order_url(shop, event) + "/ship", json={"note": "Here it is"}, headers=seller.headers()
    )
    assert response.status_code == 409
    assert "only accepted orders" in response.get_json()["error"]
    assert shops.outbox("shop_order.shipped") == []


def test_ship_order_refuses_until_the_payment_is_confirmed(shops, seller, placed):
    shop, _listing, event = placed
    accepted = shops.client.post(order_url(shop, event) + "/accept", headers=seller.headers())

    response = shops.client.post(
        order_url(shop, event) + "/ship", json={"note": "Here it is"}, headers=seller.headers()
    )

    assert (accepted.get_json()["payment"], accepted.get_json()["ready_to_ship"]) == (
        "waiting",
        False,
    )
    assert response.status_code == 409
    assert "wait until the order says “Payment confirmed" in response.get_json()["error"]
    assert shops.get(ShopOrder, event.shop_order_id).status == "accepted"
    assert shops.outbox("shop_order.shipped") == []
    shops.deliver(payment_captured(event))
    shown = shops.client.get(order_url(shop, event), headers=seller.headers()).get_json()
    assert (shown["payment"], shown["ready_to_ship"]) == ("confirmed", True)


@pytest.mark.parametrize("note", ["", "   ", "n" * 2001])
def test_ship_order_refuses_a_blank_or_long_note(shops, seller, placed, note):
    shop, _listing, event = placed
    accepted_and_paid(shops, seller, shop, event)
    response = shops.client.post(
        order_url(shop, event) + "/ship", json={"note": note}, headers=seller.headers()
    )
    assert response.status_code == 422
    assert shops.get(ShopOrder, event.shop_order_id).status == "accepted"


def test_accept_order_of_an_unknown_order_is_404(shops, seller, placed):
    shop, _listing, _event = placed
    before = shops.count(OutboxMessage)
    response = shops.client.post(
        f"/shops/{shop['id']}/orders/{uuid.uuid4()}/accept", headers=seller.headers()
    )
    assert response.status_code == 404
    assert response.get_json()["error"] == "no such order in this shop"
    assert shops.count(OutboxMessage) == before


def propose(shops, seller, shop, event, *, amount=450, reason="heavy parcel"):
    return shops.client.post(
        f"{order_url(shop, event)}/extra-charge",
        json={"amount": amount, "reason": reason},
        headers=seller.headers(),
    )


def test_propose_extra_charge_stages_the_proposal_and_pauses_the_answer_window(
    shops, seller, placed
):
    shop, _listing, event = placed

    response = propose(shops, seller, shop, event)

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "pending"
    assert body["respond_by"] is None
    assert body["extra_charge"]["status"] == "proposed"
    assert body["extra_charge"]["amount"]["amount"] == 450
    assert body["can_propose_extra_charge"] is False
    [staged] = shops.outbox("shop_order.extra_charge_proposed")
    assert staged["amount"] == {"amount": 450, "currency": "EUR"}
    assert (staged["reason"], staged["shop_order_id"]) == ("heavy parcel", event.shop_order_id)
    assert staged["proposal_id"] == body["extra_charge"]["id"]
    # While the buyer decides, the shop cannot accept, nor propose a second charge.
    accept = shops.client.post(f"{order_url(shop, event)}/accept", headers=seller.headers())
    assert accept.status_code == 409
    assert propose(shops, seller, shop, event).status_code == 409
    assert len(shops.outbox("shop_order.extra_charge_proposed")) == 1


@pytest.mark.parametrize(
    ("amount", "reason", "field"),
    [
        (0, "heavy parcel", "amount"),
        (-5, "heavy parcel", "amount"),
        (10**6, "x", "amount"),
        (450, "  ", "reason"),
        (450, "x" * 201, "reason"),
    ],
)
def test_propose_extra_charge_refuses_bad_amounts_and_reasons(
    shops, seller, placed, amount, reason, field
):
    shop, _listing, event = placed

    response = propose(shops, seller, shop, event, amount=amount, reason=reason)

    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert shops.outbox("shop_order.extra_charge_proposed") == []


def test_propose_extra_charge_on_an_accepted_order_is_409(shops, seller, placed):
    shop, _listing, event = placed
    shops.client.post(f"{order_url(shop, event)}/accept", headers=seller.headers())

    response = propose(shops, seller, shop, event)

    assert response.status_code == 409
    assert shops.outbox("shop_order.extra_charge_proposed") == []


def test_propose_extra_charge_on_another_shops_order_is_404(shops, seller, placed):
    shop, _listing, event = placed
    stranger = make_seller("Stranger")
    shops.open_shop(stranger)

    response = propose(shops, stranger, shop, event)

    assert response.status_code == 404
    assert shops.outbox("shop_order.extra_charge_proposed") == []
