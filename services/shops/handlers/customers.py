"""The shop's customer book, read from the shop's own orders plus its private notes.

Every query here is bounded by the shop's id: a customer exists only within one shop, and
another shop asking for the same person finds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, ScalarSelect, Select, Subquery, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from services.common.clock import as_utc, utcnow
from services.shops.db import Shop, ShopCustomer, ShopOrder
from services.shops.domain import NotFound
from services.shops.domain.customers import (
    NOT_SPENT,
    CustomerNotes,
    check_customer_notes,
    check_search,
    check_sort,
)

NO_SUCH_CUSTOMER = "no such customer in this shop"


@dataclass
class Customer:
    user_id: str
    name: str
    order_count: int
    first_order_at: datetime
    last_order_at: datetime
    # Minor units per currency: a shop that changed its currency has sales in both.
    spent: dict[str, int] = field(default_factory=dict)
    notes: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CustomerQuery:
    q: str = ""
    sort: str = "-last_order"
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True)
class OrderCustomer:
    """What the order screen says about the order's buyer."""

    earlier_orders: int
    notes: str
    tags: list[str]

    @property
    def returning(self) -> bool:
        return self.earlier_orders > 0


def _paid_amount() -> ColumnElement[int]:
    """An order's total in SQL: items, shipping and the extras the buyer accepted."""
    return ShopOrder.subtotal_amount + ShopOrder.shipping_amount + ShopOrder.extra_charged_amount


def _spent_amount() -> ColumnElement[int]:
    return case(
        (
            ShopOrder.status.not_in(NOT_SPENT),
            _paid_amount(),
        ),
        else_=0,
    )


def _customer_rows(shop_id: str) -> tuple[Select[Any], Subquery, ScalarSelect[str]]:
    """A select of one row per buyer of the shop: counts, dates, latest name, notes."""
    grouped = (
        select(
            ShopOrder.buyer_user_id.label("user_id"),
            func.count().label("order_count"),
            func.sum(_spent_amount()).label("spent"),
            func.min(ShopOrder.placed_at).label("first_order_at"),
            func.max(ShopOrder.placed_at).label("last_order_at"),
        )
        .where(ShopOrder.shop_id == shop_id)
        .group_by(ShopOrder.buyer_user_id)
        .subquery()
    )
    # A buyer may have changed their name between orders: the book shows the latest one.
    latest = aliased(ShopOrder)
    name = (
        select(latest.buyer_name)
        .where(latest.shop_id == shop_id, latest.buyer_user_id == grouped.c.user_id)
        .order_by(latest.placed_at.desc(), latest.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = select(
        grouped.c.user_id,
        name.label("name"),
        grouped.c.order_count,
        grouped.c.spent,
        grouped.c.first_order_at,
        grouped.c.last_order_at,
        ShopCustomer.notes,
        ShopCustomer.tags,
    ).outerjoin(
        ShopCustomer,
        and_(ShopCustomer.shop_id == shop_id, ShopCustomer.user_id == grouped.c.user_id),
    )
    return query, grouped, name


def find_customers(
    session: Session, *, shop: Shop, query: CustomerQuery
) -> tuple[list[Customer], int]:
    """One page of the shop's customers matching `query`, and how many match in all."""
    key, descending = check_sort(query.sort)
    text = check_search(query.q)
    rows, grouped, name = _customer_rows(shop.id)
    if text:
        rows = rows.where(name.icontains(text, autoescape=True))
    # Customers with sales in several currencies are ranked by the plain sum of minor
    # units: rare, and the list still shows each currency's total.
    column = {
        "last_order": grouped.c.last_order_at,
        "total_spent": grouped.c.spent,
        "name": func.lower(name),
    }[key]
    total = session.scalar(select(func.count()).select_from(rows.subquery())) or 0
    page = session.execute(
        rows.order_by(column.desc() if descending else column.asc(), grouped.c.user_id)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    customers = [_customer(row) for row in page]
    _add_spending(session, shop_id=shop.id, customers=customers)
    return customers, total


def customer(session: Session, *, shop: Shop, user_id: str) -> tuple[Customer, list[ShopOrder]]:
    """One customer of the shop and their orders with it, newest first."""
    rows, grouped, _name = _customer_rows(shop.id)
    row = session.execute(rows.where(grouped.c.user_id == user_id)).first()
    if row is None:
        raise NotFound(NO_SUCH_CUSTOMER)
    found = _customer(row)
    _add_spending(session, shop_id=shop.id, customers=[found])
    orders = session.scalars(
        select(ShopOrder)
        .where(ShopOrder.shop_id == shop.id, ShopOrder.buyer_user_id == user_id)
        .order_by(ShopOrder.placed_at.desc(), ShopOrder.id)
    )
    return found, list(orders)


def change_notes(
    session: Session,
    *,
    shop: Shop,
    user_id: str,
    by_user_id: str,
    notes: str | None = None,
    tags: list[str] | None = None,
) -> tuple[Customer, list[ShopOrder]]:
    """Set the shop's private notes and tags on one of its customers."""
    is_customer = session.scalar(
        select(ShopOrder.id)
        .where(ShopOrder.shop_id == shop.id, ShopOrder.buyer_user_id == user_id)
        .limit(1)
    )
    if is_customer is None:
        raise NotFound(NO_SUCH_CUSTOMER)
    record = session.get(ShopCustomer, (shop.id, user_id), with_for_update=True)
    current = (
        CustomerNotes(notes=record.notes, tags=tuple(record.tags or []))
        if record is not None
        else CustomerNotes(notes="", tags=())
    )
    wanted = check_customer_notes(current, notes=notes, tags=tags)
    if record is None:
        record = ShopCustomer(shop_id=shop.id, user_id=user_id)
        session.add(record)
    record.notes = wanted.notes
    record.tags = list(wanted.tags)
    record.updated_at = utcnow()
    record.updated_by = by_user_id
    session.flush()
    return customer(session, shop=shop, user_id=user_id)


def order_customers(
    session: Session, *, shop: Shop, orders: Sequence[ShopOrder]
) -> dict[str, OrderCustomer]:
    """For each order (by id), its buyer's earlier orders with the shop and the notes."""
    buyers = {order.buyer_user_id for order in orders}
    if not buyers:
        return {}
    placed: dict[str, list[datetime]] = defaultdict(list)
    for buyer, moment in session.execute(
        select(ShopOrder.buyer_user_id, ShopOrder.placed_at).where(
            ShopOrder.shop_id == shop.id, ShopOrder.buyer_user_id.in_(buyers)
        )
    ):
        placed[buyer].append(as_utc(moment))
    notes = {
        record.user_id: record
        for record in session.scalars(
            select(ShopCustomer).where(
                ShopCustomer.shop_id == shop.id, ShopCustomer.user_id.in_(buyers)
            )
        )
    }
    summaries = {}
    for order in orders:
        moment = as_utc(order.placed_at)
        record = notes.get(order.buyer_user_id)
        summaries[order.id] = OrderCustomer(
            earlier_orders=sum(1 for other in placed[order.buyer_user_id] if other < moment),
            notes=record.notes if record is not None else "",
            tags=list(record.tags or []) if record is not None else [],
        )
    return summaries


def _customer(row: Row[Any]) -> Customer:
    return Customer(
        user_id=row.user_id,
        name=row.name,
        order_count=row.order_count,
        first_order_at=row.first_order_at,
        last_order_at=row.last_order_at,
        notes=row.notes or "",
        tags=list(row.tags or []),
    )


def _add_spending(session: Session, *, shop_id: str, customers: Iterable[Customer]) -> None:
    by_id = {found.user_id: found for found in customers}
    if not by_id:
        return
    totals = session.execute(
        select(
            ShopOrder.buyer_user_id,
            ShopOrder.subtotal_currency,
            func.sum(_paid_amount()),
        )
        .where(
            ShopOrder.shop_id == shop_id,
            ShopOrder.buyer_user_id.in_(by_id),
            ShopOrder.status.not_in(NOT_SPENT),
        )
        .group_by(ShopOrder.buyer_user_id, ShopOrder.subtotal_currency)
    )
    for user_id, currency, amount in totals:
        by_id[user_id].spent[currency] = int(amount)
