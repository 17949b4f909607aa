"""The orders service: cart, checkout with payment, and the buyer's orders and their parts."""

from __future__ import annotations

from gateway.clients.base import ServiceClient, quote_id


class OrdersClient(ServiceClient):
    service = "orders"

    def cart(self, *, country: str | None = None) -> dict:
        # With a country the service prices each shop's shipping from its rates.
        return self._call("GET", "/cart", params={"country": country} if country else None)

    def set_cart_country(self, country: str) -> dict:
        """Where the cart's parcels go, kept by the service for the next visit."""
        return self._call("PUT", "/cart/country", json={"country": country})

    def add_to_cart(self, listing_id: str, quantity: int) -> dict:
        return self._call(
            "POST", "/cart/lines", json={"listing_id": listing_id, "quantity": quantity}
        )

    def merge_cart(self, guest_cart: str) -> dict:
        """The signed-out cart `guest_cart` joins this buyer's cart."""
        return self._call("POST", "/cart/merge", json={"guest_cart": guest_cart})

    def remove_from_cart(self, listing_id: str) -> dict:
        return self._call("DELETE", f"/cart/lines/{quote_id(listing_id)}")

    def checkout(
        self,
        *,
        idempotency_key: str,
        shipping_name: str,
        shipping_address: str,
        country: str,
        card_number: str,
        expected_total: int | None = None,
    ) -> dict:
        body: dict[str, object] = {
            "idempotency_key": idempotency_key,
            "shipping_name": shipping_name,
            "shipping_address": shipping_address,
            "country": country,
            "card_number": card_number,
        }
        if expected_total is not None:
            # The total the shopper was shown: the service refuses if it is no longer true.
            body["expected_total"] = expected_total
        return self._call("POST", "/checkout", json=body)

    def orders(self) -> list[dict]:
        return self._call("GET", "/orders").get("orders", [])

    def order(self, order_id: str) -> dict:
        return self._call("GET", f"/orders/{quote_id(order_id)}")

    def cancel_part(self, order_id: str, shop_order_id: str, *, reason: str | None = None) -> dict:
        body = {"reason": reason} if reason else None
        return self._call("POST", f"{self._part(order_id, shop_order_id)}/cancel", json=body)

    def accept_extra_charge(self, order_id: str, shop_order_id: str) -> dict:
        return self._call("POST", f"{self._part(order_id, shop_order_id)}/extra-charge/accept")

    def refuse_extra_charge(self, order_id: str, shop_order_id: str) -> dict:
        return self._call("POST", f"{self._part(order_id, shop_order_id)}/extra-charge/refuse")

    def mark_received(self, order_id: str, shop_order_id: str) -> dict:
        return self._call("POST", f"{self._part(order_id, shop_order_id)}/received")

    @staticmethod
    def _part(order_id: str, shop_order_id: str) -> str:
        return f"/orders/{quote_id(order_id)}/parts/{quote_id(shop_order_id)}"
