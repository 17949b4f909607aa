"""The shop's customer book: its buyers, their history, and the shop's private notes.

Members of the shop only; to anyone else the shop and its customers do not exist.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, Field
from sqlalchemy import select

from services.common.inputs import Line, Text
from services.common.openapi import describe
from services.common.web import parse_json, require_principal
from services.shops.api.common import Body, int_arg, transaction
from services.shops.api.docs import (
    ERRORS,
    CustomerDetailOut,
    CustomersOut,
    KeptAboutMeOut,
    spec,
)
from services.shops.db import Shop, ShopCustomer, ShopOrder
from services.shops.domain.customers import DEFAULT_SORT
from services.shops.handlers import customers as handlers
from services.shops.handlers.shops import member_shop
from services.shops.views import iso_time, money

blueprint = Blueprint("customers", __name__)
PER_PAGE_MAX = 200


class CustomerParams(BaseModel):
    q: str = ""
    sort: str = DEFAULT_SORT
    page: int = Field(default=1, ge=1, le=1_000_000)
    per_page: int = Field(default=50, ge=1, le=PER_PAGE_MAX)


class CustomerNotesIn(Body):
    notes: Text | None = None
    tags: list[Line] | None = Field(default=None, max_length=100)


def customer_json(customer: handlers.Customer, *, with_notes: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "user_id": customer.user_id,
        "name": customer.name,
        "order_count": customer.order_count,
        "total_spent": [
            money(amount, currency) for currency, amount in sorted(customer.spent.items())
        ],
        "first_order_at": iso_time(customer.first_order_at),
        "last_order_at": iso_time(customer.last_order_at),
        "tags": customer.tags,
    }
    if with_notes:
        body["notes"] = customer.notes
    return body


def history_json(order: ShopOrder) -> dict[str, Any]:
    return {
        "id": order.id,
        "order_id": order.order_id,
        "status": order.status,
        "placed_at": iso_time(order.placed_at),
        "items": sum(int(line["quantity"]) for line in order.lines),
        "titles": [line["title"] for line in order.lines],
        "subtotal": money(order.subtotal_amount, order.subtotal_currency),
        "shipping": money(order.shipping_amount, order.shipping_currency),
        "total": money(order.total_amount, order.subtotal_currency),
    }


def order_customer_json(summary: handlers.OrderCustomer) -> dict[str, Any]:
    return {
        "returning": summary.returning,
        "earlier_orders": summary.earlier_orders,
        "notes": summary.notes,
        "tags": summary.tags,
    }


def _one_customer(customer: handlers.Customer, orders: list[ShopOrder]) -> Response:
    return jsonify(
        customer_json(customer, with_notes=True) | {"orders": [history_json(o) for o in orders]}
    )


@blueprint.get("/customers/me")
@describe(spec, tag="customers", answer=KeptAboutMeOut, errors=ERRORS)
def what_shops_keep_about_me() -> Response:
    """What each shop's customer book holds about the caller as a buyer (notes and tags
    included): the shops' part of "download my data"."""
    principal = require_principal()
    with transaction(read_only=True) as session:
        rows = session.execute(
            select(ShopCustomer, Shop.name)
            .join(Shop, Shop.id == ShopCustomer.shop_id)
            .where(ShopCustomer.user_id == principal.user_id)
            .order_by(Shop.name)
        ).all()
        return jsonify(
            records=[
                {
                    "shop_id": record.shop_id,
                    "shop_name": shop_name,
                    "notes": record.notes,
                    "tags": record.tags,
                    "updated_at": iso_time(record.updated_at),
                }
                for record, shop_name in rows
            ]
        )


@blueprint.get("/shops/<shop_id>/customers")
@describe(spec, tag="customers", answer=CustomersOut, query=CustomerParams, errors=ERRORS)
def customers(shop_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        query = handlers.CustomerQuery(
            q=request.args.get("q", ""),
            sort=request.args.get("sort") or DEFAULT_SORT,
            page=int_arg("page", default=1, low=1, high=1_000_000),
            per_page=int_arg("per_page", default=50, low=1, high=PER_PAGE_MAX),
        )
        found, total = handlers.find_customers(session, shop=shop, query=query)
        return jsonify(
            customers=[customer_json(customer) for customer in found],
            total=total,
            page=query.page,
            per_page=query.per_page,
        )


@blueprint.get("/shops/<shop_id>/customers/<user_id>")
@describe(spec, tag="customers", answer=CustomerDetailOut, errors=ERRORS)
def customer(shop_id: str, user_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        return _one_customer(*handlers.customer(session, shop=shop, user_id=user_id))


@blueprint.patch("/shops/<shop_id>/customers/<user_id>")
@describe(spec, tag="customers", answer=CustomerDetailOut, body=CustomerNotesIn, errors=ERRORS)
def change_notes(shop_id: str, user_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        body = parse_json(CustomerNotesIn)
        found = handlers.change_notes(
            session,
            shop=shop,
            user_id=user_id,
            by_user_id=principal.user_id,
            notes=body.notes,
            tags=body.tags,
        )
        return _one_customer(*found)
