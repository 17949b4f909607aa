"""Personal access tokens: made by the owner, shown once, refused once revoked or expired."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from services.common.clock import utcnow
from services.shops.db import ApiToken
from services.shops.domain.tokens import hash_secret
from tests.shops.conftest import add_staff
from tests.shops.public_api.conftest import item

pytestmark = pytest.mark.integration


def test_create_token_shows_the_secret_once_and_keeps_only_its_hash(shop_a):
    secret = shop_a.token["secret"]
    stored = shop_a.shops.get(ApiToken, shop_a.token["id"])
    assert stored.secret_hash == hash_secret(secret) and secret not in stored.secret_hash
    listed = shop_a.shops.client.get(
        f"/shops/{shop_a.shop['id']}/tokens", headers=shop_a.owner.headers()
    ).get_json()["tokens"]
    assert [token["id"] for token in listed] == [shop_a.token["id"]]
    assert "secret" not in listed[0]


def test_create_token_refuses_unknown_scopes_and_blank_names(shop_a):
    response = shop_a.shops.client.post(
        f"/shops/{shop_a.shop['id']}/tokens",
        json={"name": " ", "scopes": ["inventory:read", "everything"]},
        headers=shop_a.owner.headers(),
    )
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"name", "scopes"}


def test_create_token_is_for_the_owner_only(shop_a):
    staff = add_staff(shop_a.shops, shop_a.owner, shop_a.shop["id"])
    response = shop_a.shops.client.post(
        f"/shops/{shop_a.shop['id']}/tokens",
        json={"name": "mine", "scopes": ["orders:read"]},
        headers=staff.headers(),
    )
    assert response.status_code == 403


def test_a_used_token_records_when(shop_a):
    assert shop_a.call("GET", "/listings").status_code == 200
    assert shop_a.shops.get(ApiToken, shop_a.token["id"]).last_used_at is not None


def test_revoked_token_is_refused(shop_a):
    assert shop_a.call("GET", "/listings").status_code == 200
    revoked = shop_a.shops.client.delete(
        f"/shops/{shop_a.shop['id']}/tokens/{shop_a.token['id']}", headers=shop_a.owner.headers()
    )
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    response = shop_a.call("POST", "/listings", json=item("A-1"))
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 401
    assert shop_a.call("GET", "/listings").status_code == 401


def test_expired_token_is_refused(shop_a):
    token = shop_a.new_token(expires_in_days=1)
    shop_a.token = token
    assert shop_a.call("GET", "/listings").status_code == 200
    with shop_a.shops.runtime.session_factory.begin() as session:
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == token["id"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert shop_a.call("GET", "/listings").status_code == 401


def test_unknown_or_missing_token_is_refused(shop_a):
    shop_a.token = {"secret": "sft_" + "x" * 43}
    assert shop_a.call("GET", "/listings").status_code == 401
    response = shop_a.shops.client.get("/api/v1/listings")
    assert response.status_code == 401 and "Bearer" in response.headers["WWW-Authenticate"]


def test_a_token_without_orders_write_cannot_accept_an_order(shop_a, placed_order):
    shop_a.token = shop_a.new_token(scopes=["orders:read", "inventory:write"])
    response = shop_a.call("POST", f"/orders/{placed_order.shop_order_id}/accept")
    assert response.status_code == 403
    assert "orders:write" in response.get_json()["detail"]
    order = shop_a.call("GET", f"/orders/{placed_order.shop_order_id}").get_json()
    assert order["status"] == "pending"


def test_an_unknown_address_under_the_api_is_a_problem_detail(shop_a):
    response = shop_a.call("GET", "/nothing-here")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    wrong_method = shop_a.call("PUT", "/orders")
    assert wrong_method.status_code == 405 and wrong_method.get_json()["status"] == 405
    elsewhere = shop_a.shops.client.get("/nothing-here")
    assert elsewhere.status_code == 404 and "error" in elsewhere.get_json()
