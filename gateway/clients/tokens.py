"""The shops service's API tokens and webhooks of a shop, for its owner in the portal."""

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


class WebhooksClient(ServiceClient):
    """The shop's webhook endpoints and their deliveries (owner only)."""

    service = "shops"

    def _base(self, shop_id: str) -> str:
        return f"/shops/{quote_id(shop_id)}/webhooks"

    def endpoints(self, shop_id: str) -> list[dict]:
        return self._call("GET", self._base(shop_id)).get("endpoints", [])

    def add_endpoint(self, shop_id: str, *, url: str, events: list[str]) -> dict:
        return self._call("POST", self._base(shop_id), json={"url": url, "events": events})

    def remove_endpoint(self, shop_id: str, endpoint_id: str) -> None:
        self._call("DELETE", f"{self._base(shop_id)}/{quote_id(endpoint_id)}")

    def enable_endpoint(self, shop_id: str, endpoint_id: str) -> dict:
        return self._call("POST", f"{self._base(shop_id)}/{quote_id(endpoint_id)}/enable")

    def deliveries(self, shop_id: str, endpoint_id: str) -> list[dict]:
        path = f"{self._base(shop_id)}/{quote_id(endpoint_id)}/deliveries"
        return self._call("GET", path).get("deliveries", [])

    def resend(self, shop_id: str, delivery_id: str) -> dict:
        path = f"{self._base(shop_id)}/deliveries/{quote_id(delivery_id)}/resend"
        return self._call("POST", path)
