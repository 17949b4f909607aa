"""Public API: the shop's orders with their state, and its answers to them."""

from __future__ import annotations

from datetime import datetime

from flask import Response, jsonify, request
from sqlalchemy import or_, select

from services.common.web import ApiError, parse_json
from services.shops.api.common import int_arg, transaction
from services.shops.api.orders import DeclineIn, ExtraChargeIn, ShipIn, shop_order_json
from services.shops.api.public.base import (
    blueprint,
    caller,
    decode_cursor,
    documented,
    encode_cursor,
    the_shop,
    with_etag,
)
from services.shops.api.public.schemas import Order, OrderPage, OrdersQuery
from services.shops.db import ShopOrder
from services.shops.domain import ShopOrderStatus
from services.shops.handlers import orders as handlers
from services.shops.views import iso_time

PAGE_MAX = 200
STATUSES = set(ShopOrderStatus.ALL)


@blueprint.get("/orders")
@documented(tag="orders", answer=OrderPage, query=OrdersQuery, not_modified=True)
def list_orders() -> Response:
    """Oldest first, so a shop's software can follow new orders with its last cursor."""
    who = caller("orders:read")
    limit = int_arg("limit", default=50, low=1, high=PAGE_MAX)
    status = request.args.get("status", "")
    if status and status not in STATUSES:
        raise ApiError(400, "status must be one of " + ", ".join(sorted(STATUSES)))
    after = decode_cursor(length=2)
    with transaction(read_only=True) as session:
        query = (
            select(ShopOrder)
            .where(ShopOrder.shop_id == who.shop_id)
            .order_by(ShopOrder.received_at, ShopOrder.id)
        )
        if status:
            query = query.where(ShopOrder.status == status)
        if after is not None:
            moment = _moment(after[0])
            query = query.where(
                or_(
                    ShopOrder.received_at > moment,
                    (ShopOrder.received_at == moment) & (ShopOrder.id > after[1]),
                )
            )
        orders = list(session.scalars(query.limit(limit)))
        last = orders[-1] if len(orders) == limit else None
        return with_etag(
            jsonify(
                orders=[shop_order_json(order) for order in orders],
                next_cursor=encode_cursor([iso_time(last.received_at), last.id]) if last else None,
            )
        )


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise ApiError(400, "cursor is not one this API gave out") from error


@blueprint.get("/orders/<shop_order_id>")
@documented(tag="orders", answer=Order, not_modified=True)
def read_order(shop_order_id: str) -> Response:
    who = caller("orders:read")
    with transaction(read_only=True) as session:
        order = handlers.shop_order(
            session, shop=the_shop(session, who), shop_order_id=shop_order_id
        )
        return with_etag(jsonify(shop_order_json(order)))


@blueprint.post("/orders/<shop_order_id>/accept")
@documented(tag="orders", answer=Order)
def accept_order(shop_order_id: str) -> Response:
    who = caller("orders:write")
    with transaction() as session:
        shop = the_shop(session, who)
        return jsonify(
            shop_order_json(handlers.accept_order(session, shop=shop, shop_order_id=shop_order_id))
        )


@blueprint.post("/orders/<shop_order_id>/decline")
@documented(tag="orders", answer=Order, body=DeclineIn)
def decline_order(shop_order_id: str) -> Response:
    who = caller("orders:write")
    with transaction() as session:
        shop = the_shop(session, who)
        body = parse_json(DeclineIn)
        order = handlers.decline_order(
            session, shop=shop, shop_order_id=shop_order_id, reason=body.reason
        )
        return jsonify(shop_order_json(order))


@blueprint.post("/orders/<shop_order_id>/ship")
@documented(tag="orders", answer=Order, body=ShipIn)
def ship_order(shop_order_id: str) -> Response:
    who = caller("orders:write")
    with transaction() as session:
        shop = the_shop(session, who)
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


@blueprint.post("/orders/<shop_order_id>/extra-charge")
@documented(tag="orders", ok=201, answer=Order, body=ExtraChargeIn)
def propose_extra_charge(shop_order_id: str) -> tuple[Response, int]:
    who = caller("orders:write")
    with transaction() as session:
        shop = the_shop(session, who)
        body = parse_json(ExtraChargeIn)
        order = handlers.propose_extra_charge(
            session,
            shop=shop,
            shop_order_id=shop_order_id,
            amount=body.amount,
            reason=body.reason,
            proposed_by=shop.signature,
        )
        return jsonify(shop_order_json(order)), 201
