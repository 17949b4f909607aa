"""Read side for a shop's bookkeeping: its statement (totals, sales by ISO week) and CSV.

Built from the shop ledger (db.ShopLedgerEntry), which settlement writes as money moves:
a sale when a part is captured, the platform's commission at the rate frozen on the part,
a refund and the commission given back when a captured part is refunded.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.clock import as_utc
from services.orders import db

Json = dict[str, Any]
COLUMNS = ("sales", "refunds", "commission", "net")


def _empty(currency: str) -> Json:
    return {"currency": currency, **{column: 0 for column in COLUMNS}, "parts": 0}


def _add(bucket: Json, entry: db.ShopLedgerEntry) -> None:
    if entry.kind == "sale":
        bucket["sales"] += entry.amount
        bucket["parts"] += 1
    elif entry.kind == "refund":
        bucket["refunds"] += -entry.amount
    else:  # commission (negative) and commission given back (positive)
        bucket["commission"] += -entry.amount
    bucket["net"] += entry.amount


def iso_week(entry: db.ShopLedgerEntry) -> str:
    year, week, _ = as_utc(entry.at).isocalendar()
    return f"{year}-W{week:02d}"


def statement(session: Session, shop_id: str) -> Json:
    """All amounts in minor units; `net` is what the shop is owed after commission."""
    entries = session.scalars(
        select(db.ShopLedgerEntry)
        .where(db.ShopLedgerEntry.shop_id == shop_id)
        .order_by(db.ShopLedgerEntry.at, db.ShopLedgerEntry.id)
    )
    totals: dict[str, Json] = {}
    weeks: dict[tuple[str, str], Json] = {}
    for entry in entries:
        _add(totals.setdefault(entry.currency, _empty(entry.currency)), entry)
        week = iso_week(entry)
        bucket = weeks.setdefault((week, entry.currency), {"week": week, **_empty(entry.currency)})
        _add(bucket, entry)
    return {
        "shop_id": shop_id,
        "totals": list(totals.values()),
        "weeks": [weeks[key] for key in sorted(weeks)],
    }


def statement_csv(session: Session, shop_id: str) -> str:
    """One row per ISO week and currency, amounts in minor units, for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["week", "currency", "parts", *COLUMNS])
    for week in statement(session, shop_id)["weeks"]:
        writer.writerow(
            [week["week"], week["currency"], week["parts"], *(week[c] for c in COLUMNS)]
        )
    return out.getvalue()


def orders_summary(session: Session, shop_id: str) -> Json:
    """How many of the shop's parts are in each status, for the seller portal's overview."""
    counts = Counter(
        dict(
            session.execute(
                select(db.ShopOrder.status, func.count())
                .where(db.ShopOrder.shop_id == shop_id)
                .group_by(db.ShopOrder.status)
            ).all()
        )
    )
    return {"shop_id": shop_id, "by_status": dict(counts), "total": sum(counts.values())}
