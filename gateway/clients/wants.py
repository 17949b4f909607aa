"""The catalog's want lists: a shopper's wants and the listings that matched them."""

from __future__ import annotations

from gateway.clients.base import ServiceClient, quote_id


class WantsClient(ServiceClient):
    service = "catalog"

    def wants(self) -> list[dict]:
        return list(self._call("GET", "/wants").get("wants", []))

    def add(self, want: dict) -> dict:
        return self._call("POST", "/wants", json=want)

    def delete(self, want_id: str) -> None:
        self._call("DELETE", f"/wants/{quote_id(want_id)}")

    def matches(self, *, limit: int = 50) -> dict:
        """{"matches": [...] newest first, "unread": n}"""
        return self._call("GET", "/wants/matches", params={"limit": limit})

    def unread(self) -> int:
        return int(self._call("GET", "/wants/matches/unread").get("unread", 0))

    def read_all(self) -> None:
        self._call("POST", "/wants/matches/read")
