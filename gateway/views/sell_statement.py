"""The shop's statement: what it sold, the platform's commission, refunds, sales by week."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint
from flask.typing import ResponseReturnValue

from gateway.clients import ServiceError
from gateway.pages.aftersale import shop_movements_ask
from gateway.pages.layout import render_page
from gateway.pages.sell_common import billing_client, csv_download, download_name, require_shop

blueprint = Blueprint("statement", __name__)
CHART_WEEKS = 26
# Fewer weeks than this would draw a few very wide bars; quiet weeks before count too.
CHART_MIN_WEEKS = 12
# The chart's drawing box, in SVG user units; the page scales it to its width.
CHART_WIDTH, CHART_HEIGHT, CHART_LABELS = 640, 200, 24


@blueprint.get("/statement")
def statement() -> ResponseReturnValue:
    shop = require_shop()
    try:
        found = billing_client().statement(shop["id"])
    except ServiceError as error:
        # The statement may not be offered by the orders service this shop talks to yet.
        return render_page("sell/statement.html", shop=shop, problem=error.message), 200
    totals = found.get("totals") or []
    currency = _main_currency(totals, shop)
    weeks = [week for week in found.get("weeks") or [] if week.get("currency") == currency]
    return render_page(
        "sell/statement.html",
        asks={"movements": shop_movements_ask(shop["id"])},
        shop=shop,
        problem=None,
        totals=totals,
        currency=currency,
        weeks=weeks,
        week_label=week_label,
        commission=commission_percent(found.get("commission_bps")),
        chart=sales_chart(weeks, currency=currency),
    )


@blueprint.get("/statement.csv")
def statement_csv() -> ResponseReturnValue:
    shop = require_shop()
    upstream = billing_client().statement_csv(shop["id"])
    return csv_download(upstream, filename=download_name(shop, "statement"))


def _main_currency(totals: list[dict], shop: dict) -> str:
    # The chart shows one currency: the one the shop sold most in, else the shop's own.
    if totals:
        return max(totals, key=lambda total: total.get("sales", 0))["currency"]
    return shop.get("currency") or "EUR"


def _monday(week: str) -> date | None:
    """'2024-W05' -> the Monday that starts that ISO week."""
    try:
        year, number = week.split("-W")
        return date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        return None


def week_label(week: str) -> str:
    """'2026-W49' -> '30 Nov – 6 Dec': the days a seller recognises, not the ISO number."""
    monday = _monday(week)
    if monday is None:
        return week
    sunday = monday + timedelta(days=6)
    first = f"{monday.day} {monday:%b}" if monday.month != sunday.month else str(monday.day)
    if monday.year != sunday.year:
        first = f"{first} {monday.year}"
    return f"{first} – {sunday.day} {sunday:%b}"


def commission_percent(bps: object) -> str | None:
    """Basis points as a percentage a person reads ('10%', '12.5%'); None when unknown."""
    if not isinstance(bps, int) or isinstance(bps, bool):
        return None
    return f"{bps / 100:.2f}".rstrip("0").rstrip(".") + "%"


def sales_chart(weeks: list[dict], *, currency: str) -> dict:
    """Bars of sales per ISO week up to the last week with a sale: at least CHART_MIN_WEEKS
    and at most CHART_WEEKS of them, weeks without sales drawn as empty bars.

    Geometry is computed here so the template only draws rectangles.
    """
    by_monday = {monday: week for week in weeks if (monday := _monday(week["week"]))}
    if not by_monday:
        return {"bars": [], "width": CHART_WIDTH, "height": CHART_HEIGHT + CHART_LABELS}
    last = max(by_monday)
    first = max(
        min(min(by_monday), last - timedelta(weeks=CHART_MIN_WEEKS - 1)),
        last - timedelta(weeks=CHART_WEEKS - 1),
    )
    mondays = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    peak = max((by_monday[m]["sales"] for m in mondays if m in by_monday), default=0) or 1
    slot = CHART_WIDTH / len(mondays)
    bars = []
    for index, monday in enumerate(mondays):
        sales = by_monday[monday]["sales"] if monday in by_monday else 0
        height = round(sales / peak * (CHART_HEIGHT - 20), 1)
        iso_year, iso_week, _ = monday.isocalendar()
        bars.append(
            {
                "week": f"{iso_year}-W{iso_week:02d}",
                "label": monday.strftime("%d %b"),
                "days": week_label(f"{iso_year}-W{iso_week:02d}"),
                "sales": {"amount": sales, "currency": currency},
                "x": round(index * slot + slot * 0.15, 1),
                "y": round(CHART_HEIGHT - height, 1),
                "width": round(slot * 0.7, 1),
                "height": height,
                "label_x": round(index * slot + slot / 2, 1),
                # Label every week while they fit, else every few weeks.
                "show_label": index % max(1, round(len(mondays) / 8)) == 0,
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT + CHART_LABELS,
        "baseline": CHART_HEIGHT,
        "peak": {"amount": peak, "currency": currency},
    }
