"""A shop's extra charge on its part, on the real broker and database: proposed by the shop
(an event), accepted or refused by the buyer (HTTP), or left to expire (the worker's job)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.common.clock import utcnow
from services.common.contracts import Money as MoneyContract
from services.common.contracts import (
    OrderCancelled,
    OrderExtraChargeAnswered,
    ShopOrderAccepted,
    ShopOrderExtraChargeProposed,
    decode,
    wrap,
)
from services.orders import db
from services.orders.bootstrap import payment_providers
from services.orders.use_cases.extra_charges import ExtraChargeProposals, expire_overdue
from services.orders.use_cases.shop_answers import ShopAnswers
from services.orders.worker import build
from tests import support
from tests.orders.conftest import OrdersService
from tests.orders.test_worker import about, order_page, publish, two_shop_order

pytestmark = pytest.mark.integration

EXTRA = 450  # EUR 4.50 for a heavy parcel


def proposal(part: dict, order: dict, *, proposal_id: str = "proposal-1", amount: int = EXTRA):
    return ShopOrderExtraChargeProposed(
        shop_order_id=part["shop_order_id"],
        order_id=order["id"],
        shop_id=part["shop_id"],
        proposal_id=proposal_id,
        amount=MoneyContract(amount=amount, currency="EUR"),
        reason="heavy parcel",
        proposed_by="Margaret",
    )


def answer(service: OrdersService, order: dict, part: dict, verb: str, user: str = "ada"):
    return service.client.post(
        f"/orders/{order['id']}/parts/{part['shop_order_id']}/extra-charge/{verb}",
        headers=support.auth_header(user),
    )


def proposed(service: OrdersService, order: dict, *envelopes) -> dict:
    """Deliver the events through the worker; return the order once the first part shows a
    proposal."""
    publish(service, *envelopes)
    with support.running(build(service.runtime)):
        return support.wait_for(
            lambda: (page := order_page(service, order))["parts"][0]["extra_charges"] and page
        )


def outbox_events(service: OrdersService) -> list:
    return [decode(row.body.encode())[1] for row in service.outbox()]


def test_accepted_extra_charge_is_authorized_then_captured_with_the_part(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part = order["parts"][0]
    page = proposed(service, order, wrap(proposal(part, order)))
    charge = page["parts"][0]["extra_charges"][0]
    assert (charge["status"], charge["reason"], charge["amount"]["amount"]) == (
        "open",
        "heavy parcel",
        EXTRA,
    )
    assert page["parts"][0]["can_answer_extra_charge"] is True

    response = answer(service, order, part, "accept")

    assert response.status_code == 200, response.get_json()
    shown = response.get_json()["parts"][0]
    before = part["total"]["amount"]
    assert shown["total"]["amount"] == before + EXTRA
    assert shown["payments"]["authorized"]["amount"] == before + EXTRA
    assert shown["extra_charges"][0]["status"] == "accepted"
    assert response.get_json()["total"]["amount"] == order["total"]["amount"] + EXTRA
    answered = [e for e in outbox_events(service) if isinstance(e, OrderExtraChargeAnswered)]
    assert [(e.answer, e.amount.amount) for e in answered] == [("accepted", EXTRA)]
    # The shop accepts now: the part's money, extra included, is captured.
    publish(service, wrap(about(part, order, ShopOrderAccepted)))
    with support.running(build(service.runtime)):
        done = support.wait_for(
            lambda: (p := order_page(service, order))["parts"][0]["status"] == "accepted" and p
        )
    assert done["parts"][0]["payments"]["captured"]["amount"] == before + EXTRA
    with service.runtime.session_factory() as session:
        taken = session.scalars(
            select(db.ShopLedgerEntry.amount).where(db.ShopLedgerEntry.kind == "sale")
        ).all()
    assert taken == [before + EXTRA]


def test_refused_extra_charge_cancels_the_part_and_voids_its_money(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part = order["parts"][0]
    proposed(service, order, wrap(proposal(part, order)))

    response = answer(service, order, part, "refuse")

    assert response.status_code == 200, response.get_json()
    shown = response.get_json()["parts"][0]
    assert shown["status"] == "cancelled"
    assert shown["payments"]["voided"] == shown["payments"]["authorized"]
    assert shown["payments"]["authorized"]["amount"] == part["total"]["amount"]
    assert shown["extra_charges"][0]["status"] == "refused"
    assert [e["status"] for e in shown["timeline"]][-2:] == ["extra_charge_refused", "cancelled"]
    events = outbox_events(service)
    cancelled = [e for e in events if isinstance(e, OrderCancelled)]
    assert len(cancelled) == 1 and "refused the extra charge" in cancelled[0].reason
    assert [e.answer for e in events if isinstance(e, OrderExtraChargeAnswered)] == ["refused"]
    # Answering again finds nothing open.
    assert answer(service, order, part, "accept").status_code == 409


def test_unanswered_extra_charge_expires_and_cancels_the_part(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part = order["parts"][0]
    proposed(service, order, wrap(proposal(part, order)))
    payments = payment_providers(service.runtime)

    assert expire_overdue(service.runtime.session_factory, payments, now=utcnow()) == 0
    later = utcnow() + timedelta(days=3, minutes=1)
    assert expire_overdue(service.runtime.session_factory, payments, now=later) == 1
    assert expire_overdue(service.runtime.session_factory, payments, now=later) == 0

    shown = order_page(service, order)["parts"][0]
    assert shown["status"] == "cancelled"
    assert shown["extra_charges"][0]["status"] == "expired"
    assert shown["payments"]["voided"]["amount"] == part["total"]["amount"]
    events = outbox_events(service)
    assert [e.answer for e in events if isinstance(e, OrderExtraChargeAnswered)] == ["expired"]
    assert any(isinstance(e, OrderCancelled) for e in events)


def test_extra_charge_for_a_part_not_waiting_is_ignored(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    first, second = order["parts"]
    publish(
        service,
        wrap(about(first, order, ShopOrderAccepted)),
        wrap(proposal(first, order, proposal_id="late")),
        wrap(proposal(second, order, proposal_id="in-time")),
    )
    with support.running(build(service.runtime)):
        # Until all three are applied: on PostgreSQL the page has once shown the second
        # proposal before the first part's acceptance.
        page = support.wait_for(
            lambda: (
                (p := order_page(service, order))["parts"][1]["extra_charges"]
                and p["parts"][0]["status"] != "placed"
                and p
            )
        )
    assert page["parts"][0]["status"] == "accepted"
    assert page["parts"][0]["extra_charges"] == []
    assert support.queue_depth(service.runtime.topology.dead_letter_queue("orders")) == 0


def test_proposal_after_an_accept_in_the_same_batch_sees_the_part_accepted(orders):
    # One batch of messages is one transaction, whose session may still hold the part's
    # object from an earlier message: it must show what the answer wrote.
    order = two_shop_order(orders)
    part = order["parts"][0]
    answers = ShopAnswers(payment_providers(orders.runtime))
    proposals = ExtraChargeProposals(answer_window=timedelta(days=3))
    accepted = about(part, order, ShopOrderAccepted)
    late = proposal(part, order, proposal_id="late")
    with orders.runtime.session_factory.begin() as session:
        held = session.get(db.ShopOrder, part["shop_order_id"])
        answers.on_accepted(session, accepted, wrap(accepted))
        proposals.on_proposed(session, late, wrap(late))
        assert held is not None
        assert (held.status, held.captured_amount) == ("accepted", part["total"]["amount"])
        capture_id = held.capture_id

    assert orders.count(db.ExtraCharge) == 0
    with orders.runtime.session_factory() as session:
        stored = session.get(db.ShopOrder, part["shop_order_id"])
        capture = session.get(db.EmbeddedPaymentOperation, capture_id)
    assert stored is not None and stored.status == "accepted"
    assert capture is not None and capture.kind == "capture"


def test_the_same_proposal_twice_is_recorded_once(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part = order["parts"][0]
    envelope = wrap(proposal(part, order))
    page = proposed(
        service,
        order,
        envelope,
        envelope,  # redelivered: same message id
        wrap(proposal(part, order)),  # the same proposal, a new message id
        wrap(about(order["parts"][1], order, ShopOrderAccepted)),  # handled last
    )
    with support.running(build(service.runtime)):
        page = support.wait_for(
            lambda: (p := order_page(service, order))["parts"][1]["status"] == "accepted" and p
        )
    assert len(page["parts"][0]["extra_charges"]) == 1
    assert service.count(db.ExtraCharge) == 1


def test_someone_elses_part_is_404(orders_on_broker):
    service = orders_on_broker
    order = two_shop_order(service)
    part = order["parts"][0]
    proposed(service, order, wrap(proposal(part, order)))

    assert answer(service, order, part, "accept", user="mallory").status_code == 404
    assert answer(service, order, part, "refuse", user="mallory").status_code == 404
    assert order_page(service, order)["parts"][0]["extra_charges"][0]["status"] == "open"


def test_answer_without_an_open_proposal_is_409(orders):
    order = orders.order_in_cart("ada")
    part = order["parts"][0]
    response = answer(orders, order, part, "accept")
    assert response.status_code == 409
    assert "no extra charge waiting" in response.get_json()["error"]
