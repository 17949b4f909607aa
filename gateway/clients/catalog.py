"""The catalog service: search and listing detail."""

from __future__ import annotations

from gateway.clients.base import ServiceClient, quote_id


class CatalogClient(ServiceClient):
    service = "catalog"

    def search(self, q: str = "", *, page: int = 1, per_page: int = 20) -> dict:
        return self._call("GET", "/search", params={"q": q, "page": page, "per_page": per_page})

    def listing(self, listing_id: str) -> dict:
        return self._call("GET", f"/listings/{quote_id(listing_id)}")
