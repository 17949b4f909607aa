"""The catalog service: search with filters and facets, listing detail, works and their offers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gateway.clients.base import ServiceClient, quote_id

Params = Mapping[str, str | int | Sequence[str]]


class CatalogClient(ServiceClient):
    service = "catalog"

    def search(
        self, q: str = "", *, page: int = 1, per_page: int = 20, filters: Params | None = None
    ) -> dict:
        """`filters` are passed as they are (price_min, condition_at_least, shop, sort, ...):
        docs/api.md lists what the catalog understands; it refuses the rest with a 422."""
        params: dict[str, object] = {"q": q, "page": page, "per_page": per_page}
        params.update(filters or {})
        return self._call("GET", "/search", params=params)

    def listing(self, listing_id: str) -> dict:
        return self._call("GET", f"/listings/{quote_id(listing_id)}")

    def covers(self, listing_ids: list[str]) -> dict[str, dict]:
        """Each listing's cover photo, by id, for those that have one."""
        if not listing_ids:
            return {}
        return self._call("GET", "/covers", params={"ids": ",".join(listing_ids)})["covers"]

    def work(self, work_id: str) -> dict:
        return self._call("GET", f"/works/{quote_id(work_id)}")

    def offers(
        self, work_id: str, *, country: str | None = None, condition_at_least: str | None = None
    ) -> list[dict]:
        params = {"country": country, "condition_at_least": condition_at_least}
        body = self._call(
            "GET",
            f"/works/{quote_id(work_id)}/offers",
            params={key: value for key, value in params.items() if value},
        )
        return list(body.get("offers", []))
