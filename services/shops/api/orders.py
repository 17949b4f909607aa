"""The shop's orders: list, read, accept, decline, ship with a signed note, or propose an
extra charge to the buyer."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from services.common.inputs import Line, MinorUnits, Text
from services.common.openapi import describe
from services.common.web import parse_json, require_principal
from services.shops.api.common import Body, transaction
from services.shops.api.customers import order_customer_json
from services.shops.api.docs import OrderOut, OrdersOut, spec
from services.shops.db import ShopOrder
from services.shops.domain.orders import ExtraChargeStatus, PaymentStatus, ShopOrderStatus
from services.shops.handlers import orders as handlers
from services.shops.handlers.customers import order_customers
from services.shops.handlers.shops import member_shop
from services.shops.views import iso_time, money
from services.shops.views import shop_order_json as base_order_json

# Refusals as docs/api.md says; 403 where only the owner may.
ERRORS = (400, 401, 403, 404, 409, 422)
blueprint = Blueprint("orders", __name__)


class DeclineIn(Body):
    reason: Text | None = None


class ExtraChargeIn(Body):
    # Minor units of the order's currency, like every amount.
    amount: MinorUnits | None = None
    reason: Text | None = None


class ShipIn(Body):
    note: Text | None = None
    carrier: Line | None = None
    tracking_number: Line | None = None


@blueprint.get("/shops/<shop_id>/orders")
@describe(spec, tag="orders", answer=OrdersOut, errors=ERRORS)
def shop_orders(shop_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        orders = handlers.shop_orders(session, shop=shop)
        buyers = order_customers(session, shop=shop, orders=orders)
        return jsonify(
            orders=[
                shop_order_json(order) | {"customer": order_customer_json(buyers[order.id])}
                for order in orders
            ]
        )


@blueprint.get("/shops/<shop_id>/orders/<shop_order_id>")
@describe(spec, tag="orders", answer=OrderOut, errors=ERRORS)
def shop_order(shop_id: str, shop_order_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        order = handlers.shop_order(session, shop=shop, shop_order_id=shop_order_id)
        buyer = order_customers(session, shop=shop, orders=[order])[order.id]
        return jsonify(shop_order_json(order) | {"customer": order_customer_json(buyer)})


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/accept")
@describe(spec, tag="orders", answer=OrderOut, errors=ERRORS)
def accept_order(shop_id: str, shop_order_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        order = handlers.accept_order(session, shop=shop, shop_order_id=shop_order_id)
        return jsonify(shop_order_json(order))


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/decline")
@describe(spec, tag="orders", answer=OrderOut, body=DeclineIn, errors=ERRORS)
def decline_order(shop_id: str, shop_order_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        body = parse_json(DeclineIn)
        order = handlers.decline_order(
            session, shop=shop, shop_order_id=shop_order_id, reason=body.reason
        )
        return jsonify(shop_order_json(order))


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/ship")
@describe(spec, tag="orders", answer=OrderOut, body=ShipIn, errors=ERRORS)
def ship_order(shop_id: str, shop_order_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        body = parse_json(ShipIn)
        order = handlers.ship_order(
            session,
            shop=shop,
            shop_order_id=shop_order_id,
            note=body.note,
            carrier=body.carrier,
            tracking_number=body.tracking_number,
        )
        return jsonify(shop_order_json(order))


class CollectedIn(Body):
    # The shop's own words to the buyer; a default thank-you when it writes none.
    note: Text | None = None


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/ready-to-collect")
@describe(spec, tag="orders", answer=OrderOut, errors=ERRORS)
def ready_to_collect(shop_id: str, shop_order_id: str) -> Response:
    """An order the buyer collects in person waits at the shop; the buyer is told."""
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        order = handlers.mark_ready_to_collect(session, shop=shop, shop_order_id=shop_order_id)
        return jsonify(shop_order_json(order))


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/collected")
@describe(spec, tag="orders", answer=OrderOut, body=CollectedIn, errors=ERRORS)
def collected(shop_id: str, shop_order_id: str) -> Response:
    """The buyer took the order at the shop."""
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        body = parse_json(CollectedIn) if request.get_data() else CollectedIn()
        order = handlers.mark_collected(
            session, shop=shop, shop_order_id=shop_order_id, note=body.note
        )
        return jsonify(shop_order_json(order))


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/extra-charge")
@describe(spec, tag="orders", ok=201, answer=OrderOut, body=ExtraChargeIn, errors=ERRORS)
def propose_extra_charge(shop_id: str, shop_order_id: str) -> tuple[Response, int]:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        body = parse_json(ExtraChargeIn)
        order = handlers.propose_extra_charge(
            session,
            shop=shop,
            shop_order_id=shop_order_id,
            amount=body.amount,
            reason=body.reason,
            proposed_by=principal.name or shop.signature,
        )
        return jsonify(shop_order_json(order)), 201


def shop_order_json(order: ShopOrder) -> dict[str, Any]:
    """The order as views.py shows it, with its extra charge and what the buyer now pays."""
    currency = order.subtotal_currency
    extra = None
    if order.extra_charge_id is not None:
        status = order.extra_charge_status
        if status == ExtraChargeStatus.PROPOSED and order.status != ShopOrderStatus.PENDING:
            status = ExtraChargeStatus.WITHDRAWN  # the order ended before the buyer answered
        extra = {
            "id": order.extra_charge_id,
            "amount": money(order.extra_charge_amount or 0, currency),
            "reason": order.extra_charge_reason,
            "status": status,
            "proposed_by": order.extra_charge_proposed_by,
            "proposed_at": iso_time(order.extra_charge_proposed_at),
            "answered_at": iso_time(order.extra_charge_answered_at),
        }
    charged = order.extra_charged_amount or 0
    return base_order_json(order) | {
        "extra_charge": extra,
        "extra_charged": money(charged, currency),
        "total": money(order.total_amount, currency),
        "can_propose_extra_charge": (
            order.status == ShopOrderStatus.PENDING and not order.extra_charge_open
        ),
        "payment": payment_json(order),
        "ready_to_ship": order.ready_to_ship,
    }


def payment_json(order: ShopOrder) -> str | None:
    """The buyer's money as the shop must know it before shipping: "confirmed" (captured,
    ready to ship), "waiting" (accepted, not captured yet: do not ship) or "failed" (the
    order is cancelled: do not ship); None before the shop accepts."""
    if order.payment_status == PaymentStatus.CAPTURED:
        return "confirmed"
    if order.payment_status == PaymentStatus.FAILED:
        return "failed"
    return "waiting" if order.status == ShopOrderStatus.ACCEPTED else None
