"""The owner makes an API token in the portal, sees its secret once, and revokes it."""

from __future__ import annotations

import re

import requests

from tests.gateway.helpers import text
from tests.gateway.sell.helpers import submit

SECRET = re.compile(r'<code id="token-secret">(sft_[A-Za-z0-9_-]+)</code>')


def test_the_owner_makes_a_token_uses_it_and_revokes_it(seller):
    assert 'href="/sell/settings/api-tokens"' in text(seller.client.get("/sell/settings"))
    made = submit(
        seller.client,
        "/sell/settings/api-tokens",
        {"name": "HomeBase sync", "scopes": ["inventory:read", "orders:read"], "expires": "30"},
    )
    assert made.status_code == 201
    secret = SECRET.search(text(made)).group(1)
    api = f"{seller.services.shops_url}/api/v1/listings"
    auth = {"Authorization": f"Bearer {secret}"}
    assert requests.get(api, headers=auth, timeout=5).status_code == 200

    page = text(seller.client.get("/sell/settings/api-tokens"))
    assert "HomeBase sync" in page and secret not in page
    token_id = re.search(r'data-token-id="([0-9a-f-]{36})"', page).group(1)
    revoked = submit(seller.client, f"/sell/settings/api-tokens/{token_id}/revoke", {})
    assert revoked.status_code == 302
    assert "it no longer works" in text(seller.client.get("/sell/settings/api-tokens"))
    assert requests.get(api, headers=auth, timeout=5).status_code == 401


def test_a_token_needs_a_name_and_something_it_may_do(seller):
    refused = submit(seller.client, "/sell/settings/api-tokens", {"name": "", "expires": ""})
    assert refused.status_code == 400
    page = text(refused)
    assert "Name the token" in page and "Tick at least one" in page
