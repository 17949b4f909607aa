"""The platform operator's routes in the orders service: disputes, reported reviews, and the
record of what operators did here; and the routes by which a buyer or a shop reports a review.

Every /operator/ route checks the operator's own token (services/common/web.py): a
shopper's or a shop member's token is refused as if the route did not exist (404). Every
decision is written to the append-only `operator_actions` table in its own transaction.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from flask import Blueprint, Response, abort, current_app, jsonify
from pydantic import BaseModel, ConfigDict, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.db import reading
from services.common.inputs import Multiline
from services.common.openapi import describe
from services.common.operator_audit import actions_json, record_action
from services.common.runtime import Runtime
from services.common.web import ApiError, parse_json, require_operator, require_principal
from services.orders import aftersale_views, db, membership, views
from services.orders.aftersale_api import Amount, Key
from services.orders.api import PAYMENTS_EXTENSION
from services.orders.api_docs import (
    OPERATOR_ONLY,
    AuditOut,
    DisputeOut,
    DisputesOut,
    ReportedOut,
    ReviewReportOut,
    ReviewReportsOut,
    spec,
)
from services.orders.conversation_views import message_json
from services.orders.domain.aftersale import CaseState, RefundAsked
from services.orders.domain.money import Money
from services.orders.payments.port import Payments
from services.orders.review_views import public_review
from services.orders.use_cases import cases
from services.orders.use_cases.reviews import hide_review

bp = Blueprint("operator", __name__)

Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), Multiline
]


class DecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["refund", "close"]
    reason: Reason
    # For a refund: the caller's key, so a retried decision refunds once; amounts in minor
    # units, neither meaning everything still refundable.
    idempotency_key: Key | None = None
    items: Amount | None = None
    shipping: Amount | None = None


class ReviewDecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["hide", "keep"]
    reason: Reason


class ReviewReportBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


def _runtime() -> Runtime:
    return current_app.extensions["runtime"]


def _payments() -> Payments:
    return current_app.extensions[PAYMENTS_EXTENSION]


def _dispute_json(session: Session, case_row: db.AfterSaleCase) -> dict[str, object]:
    """The case with both sides' messages and the part's timeline, for the operator."""
    part = session.get(db.ShopOrder, case_row.shop_order_id)
    assert part is not None
    conversation = session.scalars(
        select(db.Conversation).where(db.Conversation.shop_order_id == part.id)
    ).first()
    messages = []
    if conversation is not None:
        messages = [
            message_json(m)
            for m in session.scalars(
                select(db.ConversationMessage)
                .where(db.ConversationMessage.conversation_id == conversation.id)
                .order_by(db.ConversationMessage.id)
            )
        ]
    now = utcnow()
    return {
        **aftersale_views.case_json(case_row, part, side="platform", now=now),
        "buyer_name": part.order.buyer_name,
        "part": views.part_view(part),
        "money": aftersale_views.money_split(session, part),
        "refunds": aftersale_views.part_aftersale(session, [part], side="platform", now=now)[
            part.id
        ]["refunds"],
        "messages": messages,
    }


@bp.get("/operator/disputes")
@describe(spec, tag="operator", answer=DisputesOut, errors=OPERATOR_ONLY)
def disputes() -> Response:
    """Escalated cases first, the oldest escalation first; then the ones decided lately."""
    require_operator()
    with reading(_runtime().session_factory) as session:
        waiting = session.scalars(
            select(db.AfterSaleCase)
            .where(db.AfterSaleCase.state == CaseState.ESCALATED.value)
            .order_by(db.AfterSaleCase.escalated_at)
            .limit(200)
        ).all()
        decided = session.scalars(
            select(db.AfterSaleCase)
            .where(db.AfterSaleCase.decision.is_not(None))
            .order_by(db.AfterSaleCase.closed_at.desc())
            .limit(50)
        ).all()
        return jsonify(
            {
                "open": [_dispute_json(session, row) for row in waiting],
                "decided": [_dispute_json(session, row) for row in decided],
            }
        )


@bp.get("/operator/disputes/<case_id>")
@describe(spec, tag="operator", answer=DisputeOut, errors=OPERATOR_ONLY)
def dispute(case_id: str) -> Response:
    require_operator()
    with reading(_runtime().session_factory) as session:
        row = session.get(db.AfterSaleCase, case_id)
        if row is None or row.escalated_at is None:
            abort(404, "no such dispute")
        return jsonify(_dispute_json(session, row))


@bp.post("/operator/disputes/<case_id>/decision")
@describe(spec, tag="operator", answer=DisputeOut, body=DecisionBody, errors=(*OPERATOR_ONLY, 502))
def decide(case_id: str) -> Response:
    operator = require_operator()
    body = parse_json(DecisionBody)
    if body.decision == "refund" and not body.idempotency_key:
        raise ApiError(
            422,
            "a refund needs an idempotency_key, so that sending it twice refunds once",
            fields={"idempotency_key": "required for a refund"},
        )
    with _runtime().session_factory.begin() as session:
        row = session.get(db.AfterSaleCase, case_id)
        if row is None or row.escalated_at is None:
            abort(404, "no such dispute")
        part = session.get(db.ShopOrder, row.shop_order_id)
        assert part is not None
        asked = None
        if body.items is not None or body.shipping is not None:
            asked = RefundAsked(
                Money(body.items or 0, part.currency), Money(body.shipping or 0, part.currency)
            )
        cases.decide(
            session,
            _payments()(session),
            case_id,
            operator=operator,
            decision=body.decision,
            reason=body.reason,
            asked=asked,
            idempotency_key=f"decision:{body.idempotency_key or case_id}",
            now=utcnow(),
        )
        session.flush()
        return jsonify(_dispute_json(session, row))


# --- reviews ---------------------------------------------------------------------------


def _report_json(session: Session, report: db.ReviewReport) -> dict[str, object]:
    review = session.get(db.Review, report.review_id)
    assert review is not None
    return {
        "id": report.id,
        "review": {
            **public_review(review),
            "shop_id": review.shop_id,
            "hidden": review.hidden_at is not None,
            "hidden_reason": review.hidden_reason,
        },
        "reporter_side": report.reporter_side,
        "reason": report.reason,
        "reported_at": report.reported_at.isoformat(),
        "outcome": report.outcome,
        "outcome_reason": report.outcome_reason,
    }


@bp.get("/operator/review-reports")
@describe(spec, tag="operator", answer=ReviewReportsOut, errors=OPERATOR_ONLY)
def review_reports() -> Response:
    require_operator()
    with reading(_runtime().session_factory) as session:
        waiting = session.scalars(
            select(db.ReviewReport)
            .where(db.ReviewReport.outcome.is_(None))
            .order_by(db.ReviewReport.reported_at)
            .limit(200)
        ).all()
        return jsonify({"open": [_report_json(session, r) for r in waiting]})


@bp.post("/operator/review-reports/<report_id>/decision")
@describe(
    spec, tag="operator", answer=ReviewReportOut, body=ReviewDecisionBody, errors=OPERATOR_ONLY
)
def decide_review(report_id: str) -> Response:
    operator = require_operator()
    body = parse_json(ReviewDecisionBody)
    now = utcnow()
    with _runtime().session_factory.begin() as session:
        report = session.get(db.ReviewReport, report_id, with_for_update=True)
        if report is None:
            abort(404, "no such report")
        if report.outcome is not None:
            return jsonify(_report_json(session, report))
        review = session.get(db.Review, report.review_id, with_for_update=True)
        assert review is not None
        if body.outcome == "hide":
            hide_review(session, review, reason=body.reason, now=now)
        # Every open report of the review is answered by the one decision.
        for other in session.scalars(
            select(db.ReviewReport).where(
                db.ReviewReport.review_id == review.id, db.ReviewReport.outcome.is_(None)
            )
        ):
            other.outcome = body.outcome
            other.outcome_reason = body.reason
            other.decided_at = now
        record_action(
            session,
            db.OperatorAction,
            operator,
            action=f"review.{body.outcome}",
            subject=review.id,
            reason=body.reason,
            at=now,
        )
        session.flush()
        return jsonify(_report_json(session, report))


@bp.get("/operator/audit")
@describe(spec, tag="operator", answer=AuditOut, errors=OPERATOR_ONLY)
def audit() -> Response:
    require_operator()
    with reading(_runtime().session_factory) as session:
        return jsonify({"actions": actions_json(session, db.OperatorAction, service="orders")})


# --- reporting a review ----------------------------------------------------------------


def _report(review: db.Review, *, side: str, user_id: str, reason: str, session: Session) -> None:
    session.add(
        db.ReviewReport(
            id=str(uuid.uuid4()),
            review_id=review.id,
            reporter_side=side,
            reporter_user_id=user_id,
            reason=reason,
            reported_at=utcnow(),
        )
    )


@bp.post("/reviews/<review_id>/reports")
@describe(spec, tag="reviews", ok=201, answer=ReportedOut, body=ReviewReportBody)
def report_review(review_id: str) -> tuple[Response, int]:
    """Anyone signed in may ask the platform to look at a public review."""
    principal = require_principal()
    body = parse_json(ReviewReportBody)
    with _runtime().session_factory.begin() as session:
        review = session.get(db.Review, review_id)
        if review is None or review.hidden_at is not None:
            abort(404, "no such review")
        _report(
            review, side="buyer", user_id=principal.user_id, reason=body.reason, session=session
        )
    return jsonify({"reported": True}), 201


@bp.post("/shops/<shop_id>/reviews/<review_id>/reports")
@describe(spec, tag="reviews", ok=201, answer=ReportedOut, body=ReviewReportBody)
def shop_reports_review(shop_id: str, review_id: str) -> tuple[Response, int]:
    """A shop asks the platform to look at a review of it."""
    principal = require_principal()
    body = parse_json(ReviewReportBody)
    with _runtime().session_factory.begin() as session:
        if not membership.is_member(session, principal, shop_id):
            abort(404, "no such review of your shop")
        review = session.get(db.Review, review_id)
        if review is None or review.shop_id != shop_id:
            abort(404, "no such review of your shop")
        _report(review, side="shop", user_id=principal.user_id, reason=body.reason, session=session)
    return jsonify({"reported": True}), 201
