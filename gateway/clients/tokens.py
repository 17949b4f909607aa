"""The shops service's personal access tokens of a shop, for its owner in the portal."""

from __future__ import annotations

from typing import Any

from gateway.clients.base import ServiceClient, quote_id


class TokensClient(ServiceClient):
    service = "shops"

    def tokens(self, shop_id: str) -> list[dict]:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/tokens").get("tokens", [])

    def create_token(self, shop_id: str, **token: Any) -> dict:
        """The new token with its `secret`, which no later answer holds."""
        return self._call("POST", f"/shops/{quote_id(shop_id)}/tokens", json=token)

    def revoke_token(self, shop_id: str, token_id: str) -> dict:
        path = f"/shops/{quote_id(shop_id)}/tokens/{quote_id(token_id)}"
        return self._call("DELETE", path)
