"""Who reaches the operator's pages at /admin/, against the real services: nobody but an
operator, made from the command line. An operator in turn neither shops nor sells: the
seller's portal (the customer book with it) is closed to them, and no service takes their
token for a person's."""

from __future__ import annotations

import io
import sys

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from gateway import operators
from services.common.auth import Operator, issue_operator_token
from services.common.manage import main as manage
from tests import support
from tests.gateway.helpers import PASSWORD, csrf_token, log_in, sign_up, text
from tests.gateway.test_pages_live import a_seller, shops_of

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


def test_a_visitor_a_buyer_and_a_seller_find_no_admin_page(live_gateway: Flask):
    visitor = live_gateway.test_client()
    buyer = live_gateway.test_client()
    sign_up(buyer, email="rita@example.org", display_name="Rita")
    seller = a_seller(live_gateway)

    for client in (visitor, buyer, seller):
        refused_everywhere(client)


def test_an_operator_reaches_admin_but_not_the_portal_nor_a_customer_book(
    live_gateway: Flask, services
):  # noqa: ANN001
    seller = a_seller(live_gateway)
    operator = an_operator(live_gateway)

    assert operator.get("/admin/").status_code == 200
    assert operator.get("/admin/audit").status_code == 200
    for page in ("/sell/", "/sell/customers", "/cart", "/orders"):
        assert operator.get(page).status_code == 403, page
    # The services themselves: an operator's token is no person's and no shop member's.
    [shop] = shops_of(services, live_gateway, "mara@example.org")
    token = issue_operator_token(Operator("op", "Olive"), secret=support.SECRET)
    response = requests.get(
        f"{services.shops_url}/shops/{shop['id']}/customers",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code in (401, 403, 404)
    assert seller.get("/sell/").status_code == 200


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
