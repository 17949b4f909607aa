"""Exports streamed through the gateway, and the statement with its weekly chart.

Against fake services (tests/gateway/fakes.py, fakes_orders.py): the CSV files are the
services' (their columns are tested in tests/shops/test_exports.py and tests/orders); here,
that the gateway passes them on under the shop's own filename, and how the statement reads.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from gateway.clients import ServiceError
from gateway.views.sell_statement import commission_percent, sales_chart, week_label
from tests.gateway.fakes import a_shop, seller_answers
from tests.gateway.helpers import text
from tests.gateway.sell.fakes_orders import (
    STATEMENT_CSV,
    a_movement,
    a_sales_bucket,
    a_statement,
    fake_downloads,
    movements,
)

INVENTORY = "sku,title,author,price,quantity\nCB-2,Shirley,Charlotte Bronte,12.00,2\n"


@pytest.fixture
def downloads(app, fakes, monkeypatch):  # noqa: ANN001, ANN201
    return fake_downloads(app, fakes, monkeypatch)


def test_exports_download_with_the_shop_in_the_filename(portal, downloads):
    for name in ("inventory", "orders", "customers"):
        downloads.on(f"/shops/shop-1/export/{name}.csv", INVENTORY)

    page = text(portal.get("/sell/exports"))
    inventory = portal.get("/sell/exports/inventory.csv")
    orders = portal.get("/sell/exports/orders.csv")
    customers = portal.get("/sell/exports/customers.csv")

    assert 'href="/sell/exports/inventory.csv"' in page
    assert inventory.status_code == 200 and inventory.mimetype == "text/csv"
    assert inventory.headers["Content-Disposition"] == (
        'attachment; filename="maras-books-inventory.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(text(inventory))))
    assert [(row["sku"], row["title"]) for row in rows] == [("CB-2", "Shirley")]
    assert (
        orders.status_code == 200
        and "maras-books-orders.csv" in orders.headers["Content-Disposition"]
    )
    assert customers.status_code == 200
    assert [call.path for call in downloads.fakes.calls if "/export/" in call.path] == [
        "/shops/shop-1/export/inventory.csv",
        "/shops/shop-1/export/orders.csv",
        "/shops/shop-1/export/customers.csv",
    ]


def test_an_unknown_export_is_not_found_without_asking_the_service(portal, downloads):
    assert portal.get("/sell/exports/secrets.csv").status_code == 404
    assert not [call for call in downloads.fakes.calls if "/export" in call.path]


def test_a_slug_with_odd_characters_never_reaches_the_filename_header(portal, fakes, downloads):
    seller_answers(fakes, a_shop(slug='mara"s books\r\n'))
    downloads.on("/shops/shop-1/export/inventory.csv", INVENTORY)

    response = portal.get("/sell/exports/inventory.csv")

    assert response.headers["Content-Disposition"] == (
        'attachment; filename="marasbooks-inventory.csv"'
    )


def test_a_download_the_service_refuses_says_why_and_one_it_cannot_give_says_it_is_down(
    portal, downloads
):
    downloads.on("/shops/shop-1/export/orders.csv", '{"error": "the export is busy"}', status=409)

    refused = portal.get("/sell/exports/orders.csv")
    down = portal.get("/sell/exports/customers.csv")

    assert refused.status_code == 409 and "the export is busy" in text(refused)
    assert down.status_code == 503


def test_statement_before_any_sale_says_so(portal, fakes):
    fakes.on("GET", "/shops/shop-1/statement", a_statement())
    fakes.on("GET", "/shops/shop-1/movements", movements())

    page = text(portal.get("/sell/statement"))

    assert "Nothing sold yet" in page and 'id="sales-chart"' not in page


def test_statement_shows_totals_commission_weeks_and_every_movement(portal, fakes, downloads):
    year, week, _ = datetime.now(UTC).isocalendar()
    this_week = f"{year}-W{week:02d}"
    fakes.on("GET", "/shops/shop-1/statement", a_statement(a_sales_bucket(2000, week=this_week)))
    fakes.on(
        "GET",
        "/shops/shop-1/movements",
        movements(a_movement("commission", -200), a_movement("sale", 2000)),
    )
    downloads.on("/shops/shop-1/statement.csv", STATEMENT_CSV)

    page = text(portal.get("/sell/statement"))
    download = portal.get("/sell/statement.csv")

    assert 'id="total-sales-EUR">€20.00<' in page and 'id="total-net-EUR"><strong>€18.00<' in page
    assert 'id="sales-chart"' in page and "<rect" in page
    assert "The platform's commission is 10% of each part you sell" in page
    # Weeks read as their days, not as ISO week numbers.
    assert f">{week_label(this_week)}</th>" in page
    weeks_table = page.split('id="statement-weeks"')[1].split("</table>")[0]
    assert re.search(r">\d{4}-W\d\d<", weeks_table) is None
    moves = page.split('id="statement-movements"')[1].split("</table>")[0]
    assert "Platform&#39;s commission" in moves and "Sale" in moves
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="maras-books-statement.csv"'
    )
    assert text(download) == STATEMENT_CSV


def test_statement_without_the_billing_endpoint_says_so_instead_of_failing(portal, fakes):
    # An orders service without the seller endpoints answers 404 to the route itself.
    fakes.on("GET", "/shops/shop-1/statement", ServiceError(404, "The request was refused (404)."))

    response = portal.get("/sell/statement")

    assert response.status_code == 200
    assert 'id="statement-unavailable"' in text(response)
    assert 'id="statement-csv"' not in text(response)


def test_sales_chart_fills_weeks_without_sales_with_empty_bars():
    weeks = [
        {"week": "2024-W01", "sales": 1000, "currency": "EUR"},
        {"week": "2024-W04", "sales": 500, "currency": "EUR"},
    ]

    chart = sales_chart(weeks, currency="EUR")

    weeks_drawn = [bar["week"] for bar in chart["bars"]]
    assert len(weeks_drawn) == 12  # the quiet weeks before the first sale are drawn too
    assert weeks_drawn[0] == "2023-W45"
    assert weeks_drawn[-4:] == ["2024-W01", "2024-W02", "2024-W03", "2024-W04"]
    heights = [bar["height"] for bar in chart["bars"]][-4:]
    assert heights[1] == heights[2] == 0 and heights[0] == 2 * heights[3] > 0
    assert chart["peak"] == {"amount": 1000, "currency": "EUR"}
    assert sales_chart([], currency="EUR")["bars"] == []


def test_week_label_names_the_days_of_the_week():
    assert week_label("2026-W49") == "30 Nov – 6 Dec"
    assert week_label("2026-W02") == "5 – 11 Jan"
    assert week_label("2026-W01") == "29 Dec 2025 – 4 Jan"
    assert week_label("not a week") == "not a week"


def test_commission_percent_reads_basis_points_as_a_percentage():
    assert commission_percent(1000) == "10%"
    assert commission_percent(1250) == "12.5%"
    assert commission_percent(None) is None
