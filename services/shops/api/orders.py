"""The shop's orders: list, read, accept, decline, ship with a signed note."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from services.common.web import parse_json, require_principal
from services.shops.api.common import Body, transaction
from services.shops.api.customers import order_customer_json
from services.shops.handlers import orders as handlers
from services.shops.handlers.customers import order_customers
from services.shops.handlers.shops import member_shop
from services.shops.views import shop_order_json

blueprint = Blueprint("orders", __name__)


class DeclineIn(Body):
    reason: str | None = None


class ShipIn(Body):
    note: str | None = None
    carrier: str | None = None
    tracking_number: str | None = None


@blueprint.get("/shops/<shop_id>/orders")
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
def shop_order(shop_id: str, shop_order_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        order = handlers.shop_order(session, shop=shop, shop_order_id=shop_order_id)
        buyer = order_customers(session, shop=shop, orders=[order])[order.id]
        return jsonify(shop_order_json(order) | {"customer": order_customer_json(buyer)})


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/accept")
def accept_order(shop_id: str, shop_order_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        order = handlers.accept_order(session, shop=shop, shop_order_id=shop_order_id)
        return jsonify(shop_order_json(order))


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/decline")
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
