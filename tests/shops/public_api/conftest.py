"""A shop with a personal access token, as the owner makes one in the seller portal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.shops.conftest import Seller, ShopsService, make_seller, order_placed

ALL_SCOPES = ["inventory:read", "inventory:write", "orders:read", "orders:write"]


@dataclass
class TokenShop:
    """One shop, its owner and a token; `call` speaks to the public API with the token."""

    shops: ShopsService
    owner: Seller
    shop: dict[str, Any]
    token: dict[str, Any]

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token['secret']}", **extra}

    def call(self, method: str, path: str, *, headers: dict[str, str] | None = None, **kw: Any):
        return self.shops.client.open(
            "/api/v1" + path, method=method, headers=self.headers(**(headers or {})), **kw
        )

    def new_token(self, scopes: list[str] | None = None, **body: Any) -> dict[str, Any]:
        return make_token(self.shops, self.owner, self.shop["id"], scopes=scopes, **body)


def make_token(
    shops: ShopsService, owner: Seller, shop_id: str, *, scopes: list[str] | None = None, **body
) -> dict[str, Any]:
    response = shops.client.post(
        f"/shops/{shop_id}/tokens",
        json={"name": "HomeBase sync", "scopes": scopes or ALL_SCOPES} | body,
        headers=owner.headers(),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def token_shop(shops: ShopsService, name: str) -> TokenShop:
    owner = make_seller(name)
    shop = shops.open_shop(owner, name=f"{name}'s books")
    return TokenShop(shops, owner, shop, make_token(shops, owner, shop["id"]))


@pytest.fixture
def shop_a(shops) -> TokenShop:
    return token_shop(shops, "Ada")


@pytest.fixture
def shop_b(shops) -> TokenShop:
    return token_shop(shops, "Bea")


def item(sku: str, **overrides: Any) -> dict[str, Any]:
    return {
        "sku": sku,
        "title": f"Book {sku}",
        "price": {"amount": 1200, "currency": "EUR"},
        "quantity": 3,
    } | overrides


@pytest.fixture
def placed_order(shop_a):
    """A pending order for 2 of shop A's 3 copies of one listing."""
    listing = shop_a.shops.add_listing(shop_a.owner, shop_a.shop["id"], sku="ROSE-1", quantity=3)
    event = order_placed(shop_a.shop["id"], [(listing, 2)])
    shop_a.shops.deliver(event)
    return event
