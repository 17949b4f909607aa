"""The shops service: shops, inventory and each shop's orders."""

from __future__ import annotations

from typing import Any

from gateway.clients.base import ServiceClient, quote_id


class ShopsClient(ServiceClient):
    service = "shops"

    def open_shop(self, **shop: Any) -> dict:
        return self._call("POST", "/shops", json=shop)

    def my_shops(self) -> list[dict]:
        return self._call("GET", "/shops/mine").get("shops", [])

    def shop(self, shop_id: str) -> dict:
        return self._call("GET", f"/shops/{quote_id(shop_id)}")

    def listings(self, shop_id: str) -> list[dict]:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/listings").get("listings", [])

    def create_listing(self, shop_id: str, **listing: Any) -> dict:
        return self._call("POST", f"/shops/{quote_id(shop_id)}/listings", json=listing)

    def listing(self, listing_id: str) -> dict:
        return self._call("GET", f"/listings/{quote_id(listing_id)}")

    def orders(self, shop_id: str) -> list[dict]:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/orders").get("orders", [])

    def order(self, shop_id: str, shop_order_id: str) -> dict:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/orders/{quote_id(shop_order_id)}")

    def accept(self, shop_id: str, shop_order_id: str) -> dict:
        path = f"/shops/{quote_id(shop_id)}/orders/{quote_id(shop_order_id)}/accept"
        return self._call("POST", path)

    def decline(self, shop_id: str, shop_order_id: str, *, reason: str) -> dict:
        path = f"/shops/{quote_id(shop_id)}/orders/{quote_id(shop_order_id)}/decline"
        return self._call("POST", path, json={"reason": reason})

    def ship(
        self,
        shop_id: str,
        shop_order_id: str,
        *,
        note: str,
        carrier: str | None = None,
        tracking_number: str | None = None,
    ) -> dict:
        path = f"/shops/{quote_id(shop_id)}/orders/{quote_id(shop_order_id)}/ship"
        body: dict[str, str] = {"note": note}
        if carrier:
            body["carrier"] = carrier
        if tracking_number:
            body["tracking_number"] = tracking_number
        return self._call("POST", path, json=body)
