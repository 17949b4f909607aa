"""The shop's data as CSV files: its inventory (the upload format), orders and customers.

Rows are read a page at a time in short transactions, so a large export neither holds
the whole shop in memory nor keeps the database locked while the file downloads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from services.shops.db import Listing, ShopOrder
from services.shops.domain import ShopOrderStatus
from services.shops.events import as_utc
from services.shops.uploads.columns import COLUMNS, export_row, format_price

PAGE = 1000
ORDER_COLUMNS = (
    "shop_order_id",
    "order_id",
    "placed_at",
    "status",
    "buyer_name",
    "items",
    "subtotal",
    "shipping",
    "total",
    "currency",
    "decided_at",
    "shipped_at",
    "carrier",
    "tracking_number",
    "decline_reason",
)
CUSTOMER_COLUMNS = (
    "buyer_user_id",
    "buyer_name",
    "orders",
    "total_spent",
    "currency",
    "first_order_at",
    "last_order_at",
)
# What a customer has actually spent: declined and cancelled parts were never paid.
SPENT = (ShopOrderStatus.ACCEPTED, ShopOrderStatus.SHIPPED)


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def inventory(session_factory: sessionmaker, shop_id: str) -> Iterator[str]:
    def rows() -> Iterator[list[str]]:
        after = ""
        while True:
            with session_factory() as session:
                page = list(
                    session.scalars(
                        select(Listing)
                        .where(Listing.shop_id == shop_id, Listing.id > after)
                        .order_by(Listing.id)
                        .limit(PAGE)
                    )
                )
            yield from (export_row(listing) for listing in page)
            if len(page) < PAGE:
                return
            after = page[-1].id

    return csv_lines(COLUMNS, rows())


def _time(moment: Any) -> str:
    return as_utc(moment).isoformat() if moment is not None else ""


def orders(session_factory: sessionmaker, shop_id: str) -> Iterator[str]:
    def rows() -> Iterator[list[Any]]:
        after = ""
        while True:
            with session_factory() as session:
                page = list(
                    session.scalars(
                        select(ShopOrder)
                        .where(ShopOrder.shop_id == shop_id, ShopOrder.id > after)
                        .order_by(ShopOrder.id)
                        .limit(PAGE)
                    )
                )
            for order in page:
                currency = order.subtotal_currency
                yield [
                    order.id,
                    order.order_id,
                    _time(order.placed_at),
                    order.status,
                    order.buyer_name,
                    sum(int(line["quantity"]) for line in order.lines),
                    format_price(order.subtotal_amount, currency=currency),
                    format_price(order.shipping_amount, currency=currency),
                    format_price(order.subtotal_amount + order.shipping_amount, currency=currency),
                    currency,
                    _time(order.decided_at),
                    _time(order.shipped_at),
                    order.carrier or "",
                    order.tracking_number or "",
                    order.decline_reason or "",
                ]
            if len(page) < PAGE:
                return
            after = page[-1].id

    return csv_lines(ORDER_COLUMNS, rows())


def customers(session_factory: sessionmaker, shop_id: str) -> Iterator[str]:
    """One row per buyer: the shop's customer book, from the shop's own orders."""
    with session_factory() as session:
        spent = func.sum(ShopOrder.subtotal_amount + ShopOrder.shipping_amount).filter(
            ShopOrder.status.in_(SPENT)
        )
        grouped = session.execute(
            select(
                ShopOrder.buyer_user_id,
                func.max(ShopOrder.buyer_name),
                func.count(),
                func.coalesce(spent, 0),
                func.max(ShopOrder.subtotal_currency),
                func.min(ShopOrder.placed_at),
                func.max(ShopOrder.placed_at),
            )
            .where(ShopOrder.shop_id == shop_id)
            .group_by(ShopOrder.buyer_user_id)
            .order_by(func.max(ShopOrder.placed_at).desc())
        ).all()
    rows = (
        [
            user,
            name,
            count,
            format_price(total, currency=currency),
            currency,
            _time(first),
            _time(last),
        ]
        for user, name, count, total, currency, first, last in grouped
    )
    return csv_lines(CUSTOMER_COLUMNS, rows)
