"""The orders service: cart, checkout and the buyer's orders."""

from __future__ import annotations

from gateway.clients.base import ServiceClient, quote_id


class OrdersClient(ServiceClient):
    service = "orders"

    def cart(self) -> dict:
        return self._call("GET", "/cart")

    def add_to_cart(self, listing_id: str, quantity: int) -> dict:
        return self._call(
            "POST", "/cart/lines", json={"listing_id": listing_id, "quantity": quantity}
        )

    def remove_from_cart(self, listing_id: str) -> dict:
        return self._call("DELETE", f"/cart/lines/{quote_id(listing_id)}")

    def checkout(
        self, *, idempotency_key: str, shipping_name: str, shipping_address: str, country: str
    ) -> dict:
        body = {
            "idempotency_key": idempotency_key,
            "shipping_name": shipping_name,
            "shipping_address": shipping_address,
            "country": country,
        }
        return self._call("POST", "/checkout", json=body)

    def orders(self) -> list[dict]:
        return self._call("GET", "/orders").get("orders", [])

    def order(self, order_id: str) -> dict:
        return self._call("GET", f"/orders/{quote_id(order_id)}")
