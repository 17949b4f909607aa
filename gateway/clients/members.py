"""The shops service's members of a shop: who works in it, and taking someone off it."""

from __future__ import annotations

from gateway.clients.base import ServiceClient, quote_id


class MembersClient(ServiceClient):
    service = "shops"

    def members(self, shop_id: str) -> list[dict]:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/members").get("members", [])

    def add_member(self, shop_id: str, user_id: str) -> dict:
        body = {"user_id": user_id, "role": "staff"}
        return self._call("POST", f"/shops/{quote_id(shop_id)}/members", json=body)

    def add_invited(self, shop_id: str, *, user_id: str, role: str, invited_by: str) -> dict:
        """The person accepted `invited_by`'s invitation (a call the gateway makes as itself)."""
        body = {"user_id": user_id, "role": role, "invited_by": invited_by}
        return self._call("POST", f"/shops/{quote_id(shop_id)}/members/invited", json=body)

    def remove_member(self, shop_id: str, user_id: str) -> None:
        self._call("DELETE", f"/shops/{quote_id(shop_id)}/members/{quote_id(user_id)}")
