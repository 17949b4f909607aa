"""The shops service's customer book: a shop's buyers and its private notes on them."""

from __future__ import annotations

from typing import Any

from gateway.clients.base import ServiceClient, quote_id


class CustomersClient(ServiceClient):
    service = "shops"

    def customers(self, shop_id: str, **query: Any) -> dict:
        """One page: `{customers, total, page, per_page}`; `query` takes q, sort, page, per_page."""
        params = {key: value for key, value in query.items() if value not in (None, "")}
        return self._call("GET", f"/shops/{quote_id(shop_id)}/customers", params=params)

    def customer(self, shop_id: str, user_id: str) -> dict:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/customers/{quote_id(user_id)}")

    def change_notes(self, shop_id: str, user_id: str, *, notes: str, tags: list[str]) -> dict:
        path = f"/shops/{quote_id(shop_id)}/customers/{quote_id(user_id)}"
        return self._call("PATCH", path, json={"notes": notes, "tags": tags})
