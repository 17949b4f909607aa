"""The shop's data as CSV files: its inventory (the upload format), orders and customers.

Rows are read a page at a time in short transactions, so a large export neither holds
the whole shop in memory nor keeps the database locked while the file downloads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from services.common.clock import as_utc
from services.common.shipping import estimate_text
from services.shops.db import Listing, Shop, ShopOrder
from services.shops.handlers.customers import CustomerQuery, find_customers
from services.shops.uploads.columns import COLUMNS, export_row, format_price, spreadsheet_text

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
    "ship_to_name",
    "ship_to_company",
    "ship_to_street",
    "ship_to_city",
    "ship_to_postal_code",
    "ship_to_region",
    "ship_to_country",
    # The service the buyer chose and its estimate, or "yes" when collected in person.
    "delivery_service",
    "delivery_estimate",
    "collection",
)
# The columns of ORDER_COLUMNS that come from the address, in order.
ADDRESS_FIELDS = (
    "name",
    "company_name",
    "street_address",
    "city",
    "postal_code",
    "country_area",
    "country_code",
)
CUSTOMER_COLUMNS = (
    "buyer_user_id",
    "buyer_name",
    "orders",
    "total_spent",
    "currency",
    "first_order_at",
    "last_order_at",
    "tags",
    "notes",
)


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Every text cell of every export goes through `spreadsheet_text`: whatever a buyer or
    a seller typed (a name, a title, a tracking number) never runs as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_text(cell) if isinstance(cell, str) else cell for cell in row])
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
                    format_price(order.total_amount, currency=currency),
                    currency,
                    _time(order.decided_at),
                    _time(order.shipped_at),
                    order.carrier or "",
                    order.tracking_number or "",
                    order.decline_reason or "",
                    *address_cells(order.delivery_address),
                    order.delivery_service_name or "",
                    estimate_text(order.delivery_days_min, order.delivery_days_max) or "",
                    "yes" if order.collection else "",
                ]
            if len(page) < PAGE:
                return
            after = page[-1].id

    return csv_lines(ORDER_COLUMNS, rows())


def address_cells(address: dict[str, str] | None) -> list[str]:
    """The address's columns; the street lines joined by ", " so each order stays one row.
    Empty for a part placed without an address; the country alone once it is erased.
    (csv_lines neutralises every cell, these included.)"""
    address = address or {}
    cells = [str(address.get(name) or "") for name in ADDRESS_FIELDS]
    cells[2] = ", ".join(cells[2].splitlines())
    return cells


def customers(session_factory: sessionmaker, shop_id: str) -> Iterator[str]:
    """One row per buyer: the shop's customer book, with its private tags and notes."""

    def rows() -> Iterator[list[Any]]:
        page = 1
        while True:
            with session_factory() as session:
                shop = session.get(Shop, shop_id)
                if shop is None:
                    return
                query = CustomerQuery(sort="-last_order", page=page, per_page=PAGE)
                found, _total = find_customers(session, shop=shop, query=query)
                shop_currency = shop.currency
            for customer in found:
                spent = customer.spent or {shop_currency: 0}
                currencies = sorted(spent)
                yield [
                    customer.user_id,
                    customer.name,
                    customer.order_count,
                    "; ".join(format_price(spent[code], currency=code) for code in currencies),
                    "; ".join(currencies),
                    _time(customer.first_order_at),
                    _time(customer.last_order_at),
                    "; ".join(customer.tags),
                    customer.notes,
                ]
            if len(found) < PAGE:
                return
            page += 1

    # The byte order mark tells spreadsheets the file is UTF-8, so accented names survive.
    yield "\ufeff"
    yield from csv_lines(CUSTOMER_COLUMNS, rows())
