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

    def set_delivery(self, shop_id: str, service: str | None) -> dict:
        """The service (or "pickup") the shopper chose for one shop's parcel; None: the
        shop's cheapest."""
        return self._call("PUT", "/cart/delivery", json={"shop_id": shop_id, "service": service})

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
        address: dict[str, str],
        card_number: str,
        expected_total: int | None = None,
    ) -> dict:
        """`address` in contracts.PostalAddress's field names; the service checks it for its
        country and names each bad field ("address.postal_code")."""
        body: dict[str, object] = {
            "idempotency_key": idempotency_key,
            "address": address,
            "card_number": card_number,
        }
        if expected_total is not None:
            # The total the shopper was shown: the service refuses if it is no longer true.
            body["expected_total"] = expected_total
        return self._call("POST", "/checkout", json=body)

    # --- the address book ---------------------------------------------------------------

    def addresses(self) -> list[dict]:
        """The shopper's saved addresses, the default first."""
        return self._call("GET", "/addresses").get("addresses", [])

    def address(self, address_id: str) -> dict:
        return self._call("GET", f"/addresses/{quote_id(address_id)}")

    def save_address(self, address: dict[str, str], *, default: bool = False) -> dict:
        return self._call("POST", "/addresses", json={**address, "default": default})

    def change_address(
        self, address_id: str, address: dict[str, str], *, default: bool = False
    ) -> dict:
        return self._call(
            "PUT", f"/addresses/{quote_id(address_id)}", json={**address, "default": default}
        )

    def make_default_address(self, address_id: str) -> dict:
        return self._call("POST", f"/addresses/{quote_id(address_id)}/default")

    def delete_address(self, address_id: str) -> None:
        self._call("DELETE", f"/addresses/{quote_id(address_id)}")

    def orders(self) -> list[dict]:
        return self._call("GET", "/orders").get("orders", [])

    def order(self, order_id: str) -> dict:
        return self._call("GET", f"/orders/{quote_id(order_id)}")

    def cancel_part(self, order_id: str, shop_order_id: str, *, reason: str = "") -> dict:
        """Ask the shop to cancel the part; the shop side decides (202)."""
        body = {"reason": reason} if reason.strip() else None
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
