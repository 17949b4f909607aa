"""HTTP entry points after the sale: the buyer reports a problem and follows its case; the
shop answers it, or refunds on its own (docs/api.md, "after the sale").

The buyer side is the token's user; the shop side is a shop in the path that the person
still belongs to (services/orders/membership.py). Anyone else gets 404 for every route.
Every refund carries the caller's idempotency key: the same key refunds once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from flask import Blueprint, Response, abort, current_app, jsonify
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import select

from services.common.auth import Principal
from services.common.clock import as_utc, utcnow
from services.common.db import reading
from services.common.inputs import MAX_MINOR_UNITS, Multiline, OneLine
from services.common.openapi import describe
from services.common.runtime import Runtime
from services.common.web import parse_json, require_principal
from services.orders import aftersale_views, db, membership
from services.orders.api import PAYMENTS_EXTENSION
from services.orders.api_docs import (
    REFUNDS,
    CaseOut,
    CasesOut,
    MovementsOut,
    OrderAftersaleOut,
    RefundOut,
    ShopPartAftersaleOut,
    spec,
)
from services.orders.bootstrap import orders_settings
from services.orders.domain.aftersale import RefundAsked
from services.orders.domain.conversation import Side
from services.orders.domain.money import Money
from services.orders.payments.port import Payments
from services.orders.use_cases import cases, refunds
from services.orders.use_cases.conversations import Writer, shop_part

bp = Blueprint("aftersale", __name__)

Key = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), Multiline]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), OneLine]
Amount = Annotated[int, Field(ge=0, le=MAX_MINOR_UNITS)]


class ReportBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Literal["not_arrived", "damaged", "not_as_described", "other"]
    message: Text


class ReturnSentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    carrier: Line = ""
    tracking_number: Line = ""


class NoteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: Text = ""


class ReturnBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    address: Text
    message: Text = ""


class RefundBody(BaseModel):
    """A refund in minor units, the items and the shipping apart. On a case, sending
    neither refunds everything still refundable."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: Key
    items: Amount | None = None
    shipping: Amount | None = None
    message: Text = ""


def _runtime() -> Runtime:
    return current_app.extensions["runtime"]


def _payments() -> Payments:
    return current_app.extensions[PAYMENTS_EXTENSION]


def windows() -> cases.Windows:
    settings = orders_settings(_runtime())
    return cases.Windows(
        report=timedelta(days=settings.problem_report_days),
        answer=timedelta(days=settings.case_answer_days),
    )


def asked_of(body: RefundBody, currency: str) -> RefundAsked | None:
    if body.items is None and body.shipping is None:
        return None
    return RefundAsked(Money(body.items or 0, currency), Money(body.shipping or 0, currency))


def _shopper(principal: Principal) -> Writer:
    return Writer(side=Side.SHOPPER, user_id=principal.user_id, name=principal.name)


def _shop_writer(principal: Principal, shop_id: str) -> Writer:
    return Writer(side=Side.SHOP, user_id=principal.user_id, name=principal.name, shop_id=shop_id)


# --- the buyer -------------------------------------------------------------------------


def _buyer_case_answer(principal: Principal, order_id: str, part_id: str, case_id: str) -> Response:
    # Not a read-only transaction: finding the buyer's part locks its row.
    with _runtime().session_factory() as session:
        case_row, row = cases.buyer_case(
            session, user_id=principal.user_id, order_id=order_id, part_id=part_id, case_id=case_id
        )
        return jsonify(aftersale_views.case_json(case_row, row, side="buyer", now=utcnow()))


@bp.get("/orders/<order_id>/aftersale")
@describe(spec, tag="after-sale", answer=OrderAftersaleOut)
def buyer_aftersale(order_id: str) -> Response:
    """Per part of the buyer's order: every refund (items and shipping apart), every case,
    and what was paid and is left to refund."""
    principal = require_principal()
    with reading(_runtime().session_factory) as session:
        return jsonify(
            aftersale_views.buyer_aftersale(
                session, user_id=principal.user_id, order_id=order_id, now=utcnow()
            )
        )


@bp.post("/orders/<order_id>/parts/<part_id>/cases")
@describe(spec, tag="after-sale", ok=201, answer=CaseOut, body=ReportBody)
def report_problem(order_id: str, part_id: str) -> tuple[Response, int]:
    principal = require_principal()
    body = parse_json(ReportBody)
    with _runtime().session_factory.begin() as session:
        case_row = cases.report(
            session,
            user_id=principal.user_id,
            name=principal.name,
            order_id=order_id,
            part_id=part_id,
            reason=body.reason,
            message=body.message,
            now=utcnow(),
            windows=windows(),
        )
        case_id = case_row.id
    return _buyer_case_answer(principal, order_id, part_id, case_id), 201


@bp.get("/orders/<order_id>/parts/<part_id>/cases/<case_id>")
@describe(spec, tag="after-sale", answer=CaseOut)
def buyer_case(order_id: str, part_id: str, case_id: str) -> Response:
    return _buyer_case_answer(require_principal(), order_id, part_id, case_id)


@bp.post("/orders/<order_id>/parts/<part_id>/cases/<case_id>/return-sent")
@describe(spec, tag="after-sale", answer=CaseOut, body=ReturnSentBody)
def return_sent(order_id: str, part_id: str, case_id: str) -> Response:
    principal = require_principal()
    body = parse_json(ReturnSentBody)
    with _runtime().session_factory.begin() as session:
        case_row, _ = cases.buyer_case(
            session, user_id=principal.user_id, order_id=order_id, part_id=part_id, case_id=case_id
        )
        cases.mark_return_sent(
            session,
            case_row,
            name=principal.name,
            carrier=body.carrier,
            tracking=body.tracking_number,
            now=utcnow(),
            windows=windows(),
            writer=_shopper(principal),
        )
    return _buyer_case_answer(principal, order_id, part_id, case_id)


@bp.post("/orders/<order_id>/parts/<part_id>/cases/<case_id>/escalate")
@describe(spec, tag="after-sale", answer=CaseOut, body=NoteBody)
def escalate(order_id: str, part_id: str, case_id: str) -> Response:
    principal = require_principal()
    body = parse_json(NoteBody)
    with _runtime().session_factory.begin() as session:
        case_row, _ = cases.buyer_case(
            session, user_id=principal.user_id, order_id=order_id, part_id=part_id, case_id=case_id
        )
        cases.escalate(
            session,
            case_row,
            name=principal.name,
            message=body.message,
            now=utcnow(),
            writer=_shopper(principal),
        )
    return _buyer_case_answer(principal, order_id, part_id, case_id)


@bp.post("/orders/<order_id>/parts/<part_id>/cases/<case_id>/withdraw")
@describe(spec, tag="after-sale", answer=CaseOut)
def withdraw(order_id: str, part_id: str, case_id: str) -> Response:
    principal = require_principal()
    with _runtime().session_factory.begin() as session:
        case_row, _ = cases.buyer_case(
            session, user_id=principal.user_id, order_id=order_id, part_id=part_id, case_id=case_id
        )
        cases.withdraw(session, case_row, name=principal.name, now=utcnow())
    return _buyer_case_answer(principal, order_id, part_id, case_id)


# --- the shop --------------------------------------------------------------------------


def _member(shop_id: str) -> Principal:
    principal = require_principal()
    with reading(_runtime().session_factory) as session:
        if not membership.is_member(session, principal, shop_id):
            abort(404, "no such order of your shop")
    return principal


@bp.get("/shops/<shop_id>/orders/<shop_order_id>/aftersale")
@describe(spec, tag="after-sale", answer=ShopPartAftersaleOut)
def shop_part_aftersale(shop_id: str, shop_order_id: str) -> Response:
    _member(shop_id)
    with _runtime().session_factory.begin() as session:
        row = shop_part(session, shop_id=shop_id, shop_order_id=shop_order_id)
        found = aftersale_views.part_aftersale(session, [row], side="shop", now=utcnow())
        return jsonify({"shop_order_id": row.id, "order_id": row.order_id, **found[row.id]})


@bp.get("/shops/<shop_id>/movements")
@describe(spec, tag="billing", answer=MovementsOut)
def shop_movements(shop_id: str) -> Response:
    """Every line of the shop's ledger, newest first: each sale, commission, refund and
    commission given back, with its order, so the statement can show every movement."""
    _member(shop_id)
    with reading(_runtime().session_factory) as session:
        entries = session.scalars(
            select(db.ShopLedgerEntry)
            .where(db.ShopLedgerEntry.shop_id == shop_id)
            .order_by(db.ShopLedgerEntry.at.desc(), db.ShopLedgerEntry.id.desc())
            .limit(200)
        ).all()
        return jsonify(
            {
                "movements": [
                    {
                        "kind": entry.kind,
                        "amount": {"amount": entry.amount, "currency": entry.currency},
                        "order_id": entry.order_id,
                        "shop_order_id": entry.shop_order_id,
                        "at": as_utc(entry.at).isoformat(),
                    }
                    for entry in entries
                ]
            }
        )


@bp.get("/shops/<shop_id>/cases")
@describe(spec, tag="after-sale", answer=CasesOut)
def shop_cases(shop_id: str) -> Response:
    """The shop's cases, the ones waiting for it first."""
    _member(shop_id)
    now = utcnow()
    with reading(_runtime().session_factory) as session:
        rows = session.scalars(
            select(db.AfterSaleCase)
            .where(db.AfterSaleCase.shop_id == shop_id)
            .order_by(db.AfterSaleCase.opened_at.desc())
            .limit(200)
        ).all()
        parts = {
            p.id: p
            for p in session.scalars(
                select(db.ShopOrder).where(db.ShopOrder.id.in_([r.shop_order_id for r in rows]))
            )
        }
        found = [
            aftersale_views.case_json(r, parts[r.shop_order_id], side="shop", now=now) for r in rows
        ]
    return jsonify({"cases": found})


@bp.post("/shops/<shop_id>/orders/<shop_order_id>/refunds")
@describe(spec, tag="after-sale", ok=(201, 200), answer=RefundOut, body=RefundBody, errors=REFUNDS)
def shop_refund(shop_id: str, shop_order_id: str) -> tuple[Response, int]:
    """The shop refunds on its own, any time after the payment was taken."""
    principal = _member(shop_id)
    body = parse_json(RefundBody)
    now = utcnow()
    with _runtime().session_factory.begin() as session:
        row = shop_part(session, shop_id=shop_id, shop_order_id=shop_order_id)
        asked = asked_of(body, row.currency) or refunds.whole_refundable(session, row)
        result = refunds.refund_part(
            session,
            _payments()(session),
            row,
            asked=asked,
            idempotency_key=body.idempotency_key,
            by=refunds.RefundBy("shop", principal.name),
            reason=body.message,
            now=now,
        )
        cases.note_refund(session, row, result, name=principal.name, now=now)
        answer = refunds.refund_json(result.refund)
    return jsonify(answer), 201 if result.created else 200


@bp.post("/shops/<shop_id>/cases/<case_id>/return")
@describe(spec, tag="after-sale", answer=CaseOut, body=ReturnBody)
def ask_return(shop_id: str, case_id: str) -> Response:
    principal = _member(shop_id)
    body = parse_json(ReturnBody)
    with _runtime().session_factory.begin() as session:
        case_row, row = cases.shop_case(session, shop_id=shop_id, case_id=case_id)
        cases.ask_return(
            session,
            case_row,
            name=principal.name,
            address=body.address,
            message=body.message,
            now=utcnow(),
            writer=_shop_writer(principal, shop_id),
        )
        session.flush()
        return jsonify(aftersale_views.case_json(case_row, row, side="shop", now=utcnow()))


@bp.post("/shops/<shop_id>/cases/<case_id>/refund")
@describe(spec, tag="after-sale", ok=(201, 200), answer=CaseOut, body=RefundBody, errors=REFUNDS)
def refund_case(shop_id: str, case_id: str) -> tuple[Response, int]:
    """The shop refunds on the case: after the parcel came back, or at once."""
    principal = _member(shop_id)
    body = parse_json(RefundBody)
    with _runtime().session_factory.begin() as session:
        case_row, row = cases.shop_case(session, shop_id=shop_id, case_id=case_id)
        result = cases.refund_on_case(
            session,
            _payments()(session),
            case_row,
            row,
            asked=asked_of(body, row.currency),
            idempotency_key=body.idempotency_key,
            by=refunds.RefundBy("shop", principal.name),
            message=body.message,
            now=utcnow(),
            writer=_shop_writer(principal, shop_id),
        )
        session.flush()
        answer = aftersale_views.case_json(case_row, row, side="shop", now=utcnow())
    return jsonify(answer), 201 if result.created else 200
