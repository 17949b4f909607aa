"""Who reaches the operator's pages at /admin/, against fake services: nobody but an
operator, made from the command line. An operator in turn neither shops nor sells: the
seller's portal (the customer book with it) is closed to them, and no service takes their
token for a person's."""

from __future__ import annotations

import io
import sys

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway import operators
from services.common.manage import main as manage
from tests.gateway.helpers import PASSWORD, csrf_token, log_in, sign_up, text

pytestmark = pytest.mark.integration

ADMIN_PAGES = [
    "/admin/",
    "/admin/disputes",
    "/admin/disputes/x",
    "/admin/reviews",
    "/admin/shops",
    "/admin/audit",
]
ADMIN_FORMS = [
    "/admin/disputes/x",
    "/admin/reviews/x/hide",
    "/admin/shops/x/suspend",
    "/admin/shops/x/reinstate",
]


def an_operator(app: Flask) -> FlaskClient:
    with app.extensions["runtime"].session_factory.begin() as session:
        operators.create_operator(
            session, email="olive@platform.example", name="Olive", password=PASSWORD
        )
    client = app.test_client()
    assert log_in(client, "olive@platform.example").status_code == 302
    return client


def refused_everywhere(client: FlaskClient) -> None:
    token = csrf_token(client, "/login" if client.get("/login").status_code == 200 else "/")
    for page in ADMIN_PAGES:
        response = client.get(page)
        assert response.status_code in (403, 404), (page, response.status_code)
        assert "Disputes" not in text(response)
    for page in ADMIN_FORMS:
        response = client.post(
            page, data={"csrf_token": token, "decision-decision": "refund", "decision-reason": "x"}
        )
        assert response.status_code in (403, 404), (page, response.status_code)


def test_a_visitor_a_buyer_and_a_seller_find_no_admin_page(app: Flask, portal: FlaskClient):
    visitor = app.test_client()
    buyer = app.test_client()
    sign_up(buyer, email="rita@example.org", display_name="Rita")

    for client in (visitor, buyer, portal):
        refused_everywhere(client)


def test_an_operator_reaches_admin_but_not_the_shoppers_or_the_sellers_pages(app, fakes):
    operator = an_operator(app)
    fakes.on("GET", "/operator/disputes", {"open": [], "decided": []})
    fakes.on("GET", "/operator/review-reports", {"open": [{"id": "r-1"}], "decided": []})
    fakes.on("GET", "/operator/audit", {"actions": []})

    home = operator.get("/admin/")

    assert home.status_code == 200
    assert "0 disputes to decide" in text(home) and "1 reported review" in text(home)
    assert operator.get("/admin/audit").status_code == 200
    for page in ("/sell/", "/sell/customers", "/cart", "/orders"):
        assert operator.get(page).status_code == 403, page
    # No person's page asked a service for the operator. (That the services refuse an
    # operator's token on a shop's routes: tests/shops/test_isolation.py.)
    assert {call.path for call in fakes.calls} <= {
        "/operator/disputes",
        "/operator/review-reports",
        "/operator/audit",
    }


def test_the_admin_home_asks_every_service_at_once_and_shows_what_answered(app, fakes):
    operator = an_operator(app)
    fakes.on("GET", "/operator/disputes", {"open": [{"id": "c-1"}, {"id": "c-2"}], "decided": []})
    fakes.down("GET", "/operator/review-reports")
    fakes.on(
        "GET",
        "/operator/audit",
        {
            "actions": [
                {
                    "service": "orders",
                    "action": "refund",
                    "at": "2026-12-01T10:00:00+00:00",
                    "reason": "Lost parcel",
                    "subject": "case c-0",
                    "operator_name": "Olive",
                }
            ]
        },
        service="orders",
    )
    fakes.down("GET", "/operator/audit", service="shops")

    page = text(operator.get("/admin/"))

    assert "2 disputes to decide" in page
    assert 'id="open-reports">Reported reviews<' in page
    assert 'id="page-missing"' in page and "the reported reviews" in page
    assert "Lost parcel" in page


def test_create_operator_from_the_command_line(make_gateway, monkeypatch, tmp_path):  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    app = make_gateway(url)
    monkeypatch.setenv("GATEWAY_DATABASE_URL", url)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))

    manage(["gateway", "create-operator", "olive@platform.example", "--password-stdin"])

    client = app.test_client()
    assert log_in(client, "olive@platform.example").status_code == 302
    assert client.get("/admin/").status_code in (200, 503)  # services are down here
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    with pytest.raises(SystemExit, match="already has an account"):
        manage(["gateway", "create-operator", "olive@platform.example", "--password-stdin"])
