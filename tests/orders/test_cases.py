"""A buyer's problem with a shipped part, from report to refund or the platform's decision,
on the real database and broker (the part is accepted and shipped through RabbitMQ)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DatabaseError

from services.common.auth import Operator, issue_operator_token
from services.common.messaging.tables import utcnow
from services.orders import db
from services.orders.use_cases.cases import escalate_overdue
from tests import support
from tests.orders.conftest import OrdersService
from tests.orders.test_refunds import (
    BUYER,
    SELLER,
    captured_order,
    ledger,
    order_page,
    statement,
)

pytestmark = pytest.mark.integration


def operator_header() -> dict:
    token = issue_operator_token(Operator("op-1", "Olive Operator"), secret=support.SECRET)
    return {"Authorization": f"Bearer {token}"}


def report(service: OrdersService, order: dict, part: dict, reason="not_as_described", **body):
    return service.client.post(
        f"/orders/{order['id']}/parts/{part['shop_order_id']}/cases",
        json={"reason": reason, "message": "The dust jacket is missing.", **body},
        headers=BUYER,
    )


def buyer_step(service, order, part, case, step, **body):
    return service.client.post(
        f"/orders/{order['id']}/parts/{part['shop_order_id']}/cases/{case['id']}/{step}",
        json=body,
        headers=BUYER,
    )


def shop_step(service, case, step, **body):
    return service.client.post(f"/shops/a/cases/{case['id']}/{step}", json=body, headers=SELLER)


def test_the_whole_return_path_ends_in_a_refund_the_buyer_sees(orders_on_broker):
    service = orders_on_broker
    order, part = captured_order(service, ship=True)

    opened = report(service, order, part)
    assert opened.status_code == 201, opened.get_json()
    case = opened.get_json()
    assert (case["state"], case["reason_label"]) == ("open", "Not as described")
    thread = service.client.get(
        f"/shops/a/orders/{part['shop_order_id']}/conversation", headers=SELLER
    ).get_json()
    assert "The dust jacket is missing." in thread["conversation"]["messages"][0]["text"]

    asked = shop_step(service, case, "return", address="Hogarth Books, 1 Mill Lane, Leeds")
    assert asked.status_code == 200, asked.get_json()
    assert asked.get_json()["state"] == "return_requested"
    # The buyer hears of it where every message from the shop arrives: the part's thread.
    buyer_thread = service.client.get(
        f"/orders/{order['id']}/parts/{part['shop_order_id']}/conversation", headers=BUYER
    ).get_json()
    last = buyer_thread["conversation"]["messages"][-1]
    assert "Please send the parcel back to:\nHogarth Books, 1 Mill Lane" in last["text"]
    sent = buyer_step(
        service, order, part, case, "return-sent", carrier="Royal Mail", tracking_number="RM1GB"
    )
    assert sent.get_json()["state"] == "return_sent"
    refunded = shop_step(
        service,
        case,
        "refund",
        idempotency_key="case-refund",
        message="Received, refunded in full.",
    )
    assert refunded.status_code == 201, refunded.get_json()
    assert refunded.get_json()["state"] == "closed"

    [seen] = order_page(service, order)["parts"]
    assert seen["payments"]["refunded"]["amount"] == 2300
    [movement] = seen["aftersale"]["refunds"]
    assert (movement["items"]["amount"], movement["shipping"]["amount"]) == (2000, 300)
    assert [e["kind"] for e in seen["aftersale"]["cases"][0]["events"]] == [
        "reported",
        "return_requested",
        "return_sent",
        "refunded",
    ]


def test_a_problem_cannot_be_reported_before_shipping_or_after_the_window(orders_on_broker):
    service = orders_on_broker
    order, part = captured_order(service)

    early = report(service, order, part)
    assert early.status_code == 422
    assert "shipped" in early.get_json()["error"]

    order, part = captured_order(service, ship=True)
    with service.runtime.session_factory.begin() as session:
        session.execute(
            update(db.TimelineEntry)
            .where(db.TimelineEntry.shop_order_id == part["shop_order_id"])
            .values(at=utcnow() - timedelta(days=31))
        )
    late = report(service, order, part)
    assert late.status_code == 422
    assert "30 days" in late.get_json()["error"]


def test_a_bad_reason_is_422_and_opens_nothing(orders_on_broker):
    service = orders_on_broker
    order, part = captured_order(service, ship=True)

    response = report(service, order, part, reason="changed_my_mind")

    assert response.status_code == 422
    assert "reason" in response.get_json()["fields"]
    assert service.count(db.AfterSaleCase) == 0


def _escalated(service: OrdersService) -> tuple[dict, dict, dict]:
    order, part = captured_order(service, ship=True)
    case = report(service, order, part).get_json()
    too_soon = buyer_step(service, order, part, case, "escalate", message="No answer.")
    assert too_soon.status_code == 422
    # The shop's three days pass without an answer.
    with service.runtime.session_factory.begin() as session:
        session.execute(update(db.AfterSaleCase).values(answer_by=utcnow() - timedelta(minutes=1)))
    escalated = buyer_step(service, order, part, case, "escalate", message="No answer.")
    assert escalated.status_code == 200, escalated.get_json()
    assert escalated.get_json()["state"] == "escalated"
    return order, part, case


def test_escalated_case_decided_by_the_operator_refunds_and_shows_on_the_statement(
    orders_on_broker,
):
    service = orders_on_broker
    order, part, case = _escalated(service)

    disputes = service.client.get("/operator/disputes", headers=operator_header()).get_json()
    [dispute] = disputes["open"]
    assert dispute["id"] == case["id"]
    assert any("dust jacket" in m["text"] for m in dispute["messages"])
    assert [entry["status"] for entry in dispute["part"]["timeline"]][:3] == [
        "placed",
        "accepted",
        "shipped",
    ]
    decided = service.client.post(
        f"/operator/disputes/{case['id']}/decision",
        json={"decision": "refund", "reason": "The shop did not answer.", "idempotency_key": "d1"},
        headers=operator_header(),
    )
    again = service.client.post(
        f"/operator/disputes/{case['id']}/decision",
        json={"decision": "refund", "reason": "The shop did not answer.", "idempotency_key": "d1"},
        headers=operator_header(),
    )

    assert decided.status_code == 200, decided.get_json()
    assert again.status_code == 200
    assert decided.get_json()["state"] == "closed"
    assert ledger(service)[2:] == [("refund", -2300), ("commission_refund", 230)]
    totals = statement(service)
    assert (totals["refunds"], totals["net"]) == (2300, 0)
    [seen] = order_page(service, order)["parts"]
    assert seen["aftersale"]["refunds"][0]["decided_by"] == "platform"
    assert seen["aftersale"]["cases"][0]["decision_reason"] == "The shop did not answer."
    audit = service.client.get("/operator/audit", headers=operator_header()).get_json()
    assert [(a["action"], a["subject"]) for a in audit["actions"]] == [
        ("dispute.refund", case["id"])
    ]


def test_operator_closes_in_the_shops_favour_with_a_reason_both_see(orders_on_broker):
    service = orders_on_broker
    order, part, case = _escalated(service)

    decided = service.client.post(
        f"/operator/disputes/{case['id']}/decision",
        json={"decision": "close", "reason": "The tracking shows it was delivered."},
        headers=operator_header(),
    )

    assert decided.status_code == 200
    shop_view = service.client.get(
        f"/shops/a/orders/{part['shop_order_id']}/aftersale", headers=SELLER
    ).get_json()
    buyer_view = order_page(service, order)["parts"][0]["aftersale"]
    for view in (shop_view, buyer_view):
        [seen] = view["cases"]
        assert (seen["state"], seen["decision"]) == ("closed", "close")
        assert seen["decision_reason"] == "The tracking shows it was delivered."
        assert view["refunds"] == []


def test_nobody_but_an_operator_reaches_the_operator_routes(orders_on_broker):
    service = orders_on_broker
    _, _, case = _escalated(service)
    routes = [
        ("get", "/operator/disputes"),
        ("get", f"/operator/disputes/{case['id']}"),
        ("post", f"/operator/disputes/{case['id']}/decision"),
        ("get", "/operator/review-reports"),
        ("post", "/operator/review-reports/x/decision"),
        ("get", "/operator/audit"),
    ]
    for headers in (BUYER, SELLER, {}, support.service_header()):
        for method, path in routes:
            body = {"decision": "refund", "reason": "x", "idempotency_key": "k"}
            response = getattr(service.client, method)(path, json=body, headers=dict(headers))
            assert response.status_code in (403, 404), (path, response.status_code)
    assert [kind for kind, _ in ledger(service)] == ["sale", "commission"]


def test_an_operator_is_no_shopper_and_no_member_of_a_shop(orders_on_broker):
    service = orders_on_broker
    order, part = captured_order(service)

    as_shop = service.client.get("/shops/a/statement", headers=operator_header())
    as_buyer = service.client.get(f"/orders/{order['id']}", headers=operator_header())

    assert as_shop.status_code == 401
    assert as_buyer.status_code == 401


def test_the_audit_log_refuses_to_be_changed(orders_on_broker):
    service = orders_on_broker
    _, _, case = _escalated(service)
    service.client.post(
        f"/operator/disputes/{case['id']}/decision",
        json={"decision": "close", "reason": "Delivered."},
        headers=operator_header(),
    )

    for statement_ in ("UPDATE operator_actions SET reason = 'x'", "DELETE FROM operator_actions"):
        with pytest.raises(DatabaseError), service.runtime.engine.begin() as connection:
            connection.execute(text(statement_))
    with service.runtime.session_factory() as session:
        [action] = session.scalars(select(db.OperatorAction)).all()
    assert action.reason == "Delivered."


def test_cases_the_shop_leaves_unanswered_go_to_the_platform_on_their_own(orders_on_broker):
    service = orders_on_broker
    order, part = captured_order(service, ship=True)
    unanswered = report(service, order, part).get_json()
    other_order, other_part = captured_order(service, ship=True)
    answered = report(service, other_order, other_part).get_json()
    shop_step(service, answered, "return", address="Hogarth Books, Leeds")
    later = utcnow() + timedelta(days=3, minutes=1)

    assert escalate_overdue(service.runtime.session_factory, now=later) == 1
    assert escalate_overdue(service.runtime.session_factory, now=later) == 0

    [first] = order_page(service, order)["parts"][0]["aftersale"]["cases"]
    [second] = order_page(service, other_order)["parts"][0]["aftersale"]["cases"]
    assert (first["id"], first["state"]) == (unanswered["id"], "escalated")
    assert first["events"][-1]["side"] == "platform"
    assert second["state"] == "return_requested"


def _reviewed(service: OrdersService) -> dict:
    order, part = captured_order(service, ship=True)
    posted = service.client.post(
        f"/orders/{order['id']}/parts/{part['shop_order_id']}/review",
        json={"rating": 1, "text": "Rude seller, call them names."},
        headers=BUYER,
    )
    assert posted.status_code == 201, posted.get_json()
    return posted.get_json()


def staged(service, event_type: str) -> list[dict]:  # noqa: ANN001 - an OrdersService
    return [
        json.loads(row.body)["payload"] for row in service.outbox() if row.event_type == event_type
    ]


def test_a_reported_review_the_operator_hides_leaves_the_public_list(orders_on_broker):
    service = orders_on_broker
    review = _reviewed(service)

    reported = service.client.post(
        f"/shops/a/reviews/{review['id']}/reports",
        json={"reason": "It insults my staff."},
        headers=SELLER,
    )
    assert reported.status_code == 201
    [report_] = service.client.get(
        "/operator/review-reports", headers=operator_header()
    ).get_json()["open"]
    hidden = service.client.post(
        f"/operator/review-reports/{report_['id']}/decision",
        json={"outcome": "hide", "reason": "Insults are not a review."},
        headers=operator_header(),
    )

    assert hidden.status_code == 200, hidden.get_json()
    assert hidden.get_json()["review"]["hidden"] is True
    public = service.client.get("/shops/a/reviews").get_json()
    assert public["reviews"] == []
    assert public["reputation"]["count"] == 0
    audit = service.client.get("/operator/audit", headers=operator_header()).get_json()
    assert [a["action"] for a in audit["actions"]] == ["review.hide"]
    # The catalog is told the reputation without it, under a newer revision than the post's.
    [posted] = staged(service, "review.posted")
    [told] = staged(service, "review.hidden")
    assert (told["review_id"], told["shop_id"]) == (review["id"], "a")
    assert told["reputation"]["count"] == 0
    assert told["reputation"]["revision"] > posted["reputation"]["revision"]
    # Deciding again changes nothing and tells nothing twice.
    again = service.client.post(
        f"/operator/review-reports/{report_['id']}/decision",
        json={"outcome": "hide", "reason": "Insults are not a review."},
        headers=operator_header(),
    )
    assert again.status_code == 200 and len(staged(service, "review.hidden")) == 1


def test_a_review_the_operator_keeps_stays_public(orders_on_broker):
    service = orders_on_broker
    review = _reviewed(service)
    service.client.post(
        f"/reviews/{review['id']}/reports", json={"reason": "Unfair."}, headers=BUYER
    )
    [report_] = service.client.get(
        "/operator/review-reports", headers=operator_header()
    ).get_json()["open"]

    kept = service.client.post(
        f"/operator/review-reports/{report_['id']}/decision",
        json={"outcome": "keep", "reason": "An opinion about the shop."},
        headers=operator_header(),
    )

    assert kept.get_json()["outcome"] == "keep"
    assert [r["id"] for r in service.client.get("/shops/a/reviews").get_json()["reviews"]] == [
        review["id"]
    ]
    other_shop = service.client.post(
        f"/shops/b/reviews/{review['id']}/reports",
        json={"reason": "x"},
        headers=support.auth_header("seller-b", "Bruno", shops=("b",)),
    )
    assert other_shop.status_code == 404
