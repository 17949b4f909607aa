"""Small HTTP clients for the services, one method per call in docs/api.md.

Each client is built for one person (or nobody) with the service token to send. A service's
4xx answer becomes ServiceError carrying its message and per-field reasons for the form; a
service that cannot be reached or fails (5xx) becomes ServiceUnavailable.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import quote

import requests

_local = threading.local()


def _http() -> requests.Session:
    # A requests.Session is not safe to share between threads; one per thread keeps the
    # connection pool while every web worker thread has its own.
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


class ServiceError(Exception):
    """The service refused the request (4xx) and changed nothing."""

    def __init__(self, status: int, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}


class ServiceUnavailable(Exception):
    """The service is down, too slow, or failed on its side (5xx)."""

    def __init__(self, service: str, reason: str):
        super().__init__(f"{service} is unavailable: {reason}")
        self.service = service


class ServiceClient:
    service = "service"

    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = 5.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method: str, path: str, **options: Any) -> Any:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = _http().request(
                method, self.base_url + path, headers=headers, timeout=self.timeout, **options
            )
        except requests.RequestException as error:
            raise ServiceUnavailable(self.service, repr(error)) from error
        if response.status_code >= 500:
            raise ServiceUnavailable(self.service, f"HTTP {response.status_code}")
        try:
            body = response.json() if response.content else {}
        except ValueError:
            body = {}
        if response.status_code >= 400:
            body = body if isinstance(body, dict) else {}
            raise ServiceError(
                response.status_code,
                str(body.get("error") or f"The request was refused ({response.status_code})."),
                {str(k): str(v) for k, v in (body.get("fields") or {}).items()},
            )
        return body


def _id(value: str) -> str:
    # Ids come from URLs people can edit; never let one add path segments.
    return quote(str(value), safe="")


class ShopsClient(ServiceClient):
    service = "shops"

    def open_shop(self, **shop: Any) -> dict:
        return self._call("POST", "/shops", json=shop)

    def my_shops(self) -> list[dict]:
        return self._call("GET", "/shops/mine").get("shops", [])

    def shop(self, shop_id: str) -> dict:
        return self._call("GET", f"/shops/{_id(shop_id)}")

    def listings(self, shop_id: str) -> list[dict]:
        return self._call("GET", f"/shops/{_id(shop_id)}/listings").get("listings", [])

    def create_listing(self, shop_id: str, **listing: Any) -> dict:
        return self._call("POST", f"/shops/{_id(shop_id)}/listings", json=listing)

    def listing(self, listing_id: str) -> dict:
        return self._call("GET", f"/listings/{_id(listing_id)}")

    def orders(self, shop_id: str) -> list[dict]:
        return self._call("GET", f"/shops/{_id(shop_id)}/orders").get("orders", [])

    def order(self, shop_id: str, shop_order_id: str) -> dict:
        return self._call("GET", f"/shops/{_id(shop_id)}/orders/{_id(shop_order_id)}")

    def accept(self, shop_id: str, shop_order_id: str) -> dict:
        return self._call("POST", f"/shops/{_id(shop_id)}/orders/{_id(shop_order_id)}/accept")

    def decline(self, shop_id: str, shop_order_id: str, *, reason: str) -> dict:
        path = f"/shops/{_id(shop_id)}/orders/{_id(shop_order_id)}/decline"
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
        path = f"/shops/{_id(shop_id)}/orders/{_id(shop_order_id)}/ship"
        body: dict[str, str] = {"note": note}
        if carrier:
            body["carrier"] = carrier
        if tracking_number:
            body["tracking_number"] = tracking_number
        return self._call("POST", path, json=body)


class CatalogClient(ServiceClient):
    service = "catalog"

    def search(self, q: str = "", *, page: int = 1, per_page: int = 20) -> dict:
        return self._call("GET", "/search", params={"q": q, "page": page, "per_page": per_page})

    def listing(self, listing_id: str) -> dict:
        return self._call("GET", f"/listings/{_id(listing_id)}")


class OrdersClient(ServiceClient):
    service = "orders"

    def cart(self) -> dict:
        return self._call("GET", "/cart")

    def add_to_cart(self, listing_id: str, quantity: int) -> dict:
        return self._call(
            "POST", "/cart/lines", json={"listing_id": listing_id, "quantity": quantity}
        )

    def remove_from_cart(self, listing_id: str) -> dict:
        return self._call("DELETE", f"/cart/lines/{_id(listing_id)}")

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
        return self._call("GET", f"/orders/{_id(order_id)}")
