"""Exports streamed through the gateway, and the statement with its weekly chart."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from gateway.views.sell_statement import commission_percent, sales_chart, week_label
from tests import support
from tests.gateway.helpers import text
from tests.gateway.sell.helpers import ORDER_LINK, buy, submit


def test_exports_download_with_the_shop_in_the_filename(seller):
    seller.add_listing(title="Shirley", sku="CB-2")

    page = text(seller.client.get("/sell/exports"))
    inventory = seller.client.get("/sell/exports/inventory.csv")
    orders = seller.client.get("/sell/exports/orders.csv")
    customers = seller.client.get("/sell/exports/customers.csv")

    assert 'href="/sell/exports/inventory.csv"' in page
    assert inventory.status_code == 200 and inventory.mimetype == "text/csv"
    slug = seller.shop["slug"]
    assert inventory.headers["Content-Disposition"] == (
        f'attachment; filename="{slug}-inventory.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(text(inventory))))
    assert [(row["sku"], row["title"]) for row in rows] == [("CB-2", "Shirley")]
    assert (
        orders.status_code == 200 and f"{slug}-orders.csv" in orders.headers["Content-Disposition"]
    )
    assert customers.status_code == 200
    assert seller.client.get("/sell/exports/secrets.csv").status_code == 404


def test_statement_before_any_sale_says_so(seller):
    page = text(seller.client.get("/sell/statement"))

    assert "Nothing sold yet" in page


def test_statement_shows_totals_commission_and_weekly_chart_after_a_sale(seller, live_gateway):
    listing = seller.add_listing(title="Villette", price={"amount": 2000}, quantity=1)
    buy(live_gateway, listing["id"])
    dashboard = support.wait_for(
        lambda: (page := text(seller.client.get("/sell/"))) and "Ben Buyer" in page and page
    )
    submit(seller.client, f"/sell/orders/{ORDER_LINK.search(dashboard).group(1)}/accept", {})

    # The orders service captures the payment when it hears of the acceptance.
    page = support.wait_for(
        lambda: (
            (html := text(seller.client.get("/sell/statement")))
            and "statement-totals" in html
            and html
        )
    )
    assert 'id="total-sales-EUR">€' in page
    assert 'id="sales-chart"' in page and "<rect" in page
    assert 'id="statement-weeks"' in page
    assert "The platform's commission is 10% of each part you sell" in page
    # Weeks read as their days, not as ISO week numbers.
    year, week, _ = datetime.now(UTC).isocalendar()
    assert f">{week_label(f'{year}-W{week:02d}')}</th>" in page
    weeks_table = page.split('id="statement-weeks"')[1].split("</table>")[0]
    assert re.search(r">\d{4}-W\d\d<", weeks_table) is None
    download = seller.client.get("/sell/statement.csv")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].endswith('-statement.csv"')
    assert text(download).startswith("week,currency,parts,sales,refunds,commission,net")


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


def test_statement_without_the_billing_endpoint_says_so_instead_of_failing(make_gateway, services):
    # An orders service without the seller endpoints (here: the shops service answering
    # in its place, which has no such route) must leave a readable page, not an error.
    from tests.gateway.sell.conftest import open_shop

    app = make_gateway(
        shops_url=services.shops_url,
        catalog_url=services.catalog_url,
        orders_url=services.shops_url,
    )
    seller = open_shop(app, services, "mara@example.org", "Mara's Books", "Mara")

    response = seller.client.get("/sell/statement")

    assert response.status_code == 200
    assert 'id="statement-unavailable"' in text(response)


def test_week_label_names_the_days_of_the_week():
    assert week_label("2026-W49") == "30 Nov – 6 Dec"
    assert week_label("2026-W02") == "5 – 11 Jan"
    assert week_label("2026-W01") == "29 Dec 2025 – 4 Jan"
    assert week_label("not a week") == "not a week"


def test_commission_percent_reads_basis_points_as_a_percentage():
    assert commission_percent(1000) == "10%"
    assert commission_percent(1250) == "12.5%"
    assert commission_percent(None) is None
