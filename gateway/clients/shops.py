"""The shops service: shops, inventory and each shop's orders."""

from __future__ import annotations

import copy
from typing import IO, Any

import requests

from gateway.clients.base import ServiceClient, ServiceError, ServiceUnavailable, _http, quote_id

# A large inventory file takes longer to hand over than a page waits for an answer.
UPLOAD_TIMEOUT = 120.0
EXPORTS = ("inventory", "orders", "customers")


class ShopsClient(ServiceClient):
    service = "shops"

    def open_shop(self, **shop: Any) -> dict:
        return self._call("POST", "/shops", json=shop)

    def my_shops(self) -> list[dict]:
        return self._call("GET", "/shops/mine").get("shops", [])

    def shop(self, shop_id: str) -> dict:
        return self._call("GET", f"/shops/{quote_id(shop_id)}")

    def change_shop(self, shop_id: str, **settings: Any) -> dict:
        """PATCH the shop's settings; only the keys given change."""
        return self._call("PATCH", f"/shops/{quote_id(shop_id)}", json=settings)

    def listings(self, shop_id: str) -> list[dict]:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/listings").get("listings", [])

    def find_listings(self, shop_id: str, **query: Any) -> dict:
        """One page of the inventory: `{listings, total, page, per_page}`.

        `query` takes q, in_stock, condition, sort, page and per_page; None leaves one out.
        """
        params = {key: value for key, value in query.items() if value not in (None, "")}
        return self._call("GET", f"/shops/{quote_id(shop_id)}/listings", params=params)

    def create_listing(self, shop_id: str, **listing: Any) -> dict:
        return self._call("POST", f"/shops/{quote_id(shop_id)}/listings", json=listing)

    def listing(self, listing_id: str) -> dict:
        return self._call("GET", f"/listings/{quote_id(listing_id)}")

    def change_listing(self, shop_id: str, listing_id: str, **changes: Any) -> dict:
        path = f"/shops/{quote_id(shop_id)}/listings/{quote_id(listing_id)}"
        return self._call("PATCH", path, json=changes)

    def delete_listing(self, shop_id: str, listing_id: str) -> None:
        self._call("DELETE", f"/shops/{quote_id(shop_id)}/listings/{quote_id(listing_id)}")

    def bulk_change(self, shop_id: str, listing_ids: list[str], **change: Any) -> list[dict]:
        """set_price / adjust_price_percent and set_quantity / adjust_quantity, all or none."""
        body = {"listing_ids": listing_ids, **change}
        path = f"/shops/{quote_id(shop_id)}/listings/bulk"
        return self._call("POST", path, json=body).get("listings", [])

    def upload(
        self, shop_id: str, source: IO[bytes], *, filename: str, replace: bool = False
    ) -> dict:
        """Hand an inventory file over as the request body; the service answers with its job.
        `replace`: the file is the whole inventory, applied once confirmed (`confirm_upload`)."""
        patient = self._patient()
        path = f"/shops/{quote_id(shop_id)}/uploads"
        params = {"filename": filename} | ({"replace": "1"} if replace else {})
        return patient._call("POST", path, params=params, data=source)

    def answer_upload(self, shop_id: str, job_id: str, *, confirm: bool) -> dict:
        action = "confirm" if confirm else "cancel"
        path = f"/shops/{quote_id(shop_id)}/uploads/{quote_id(job_id)}/{action}"
        return self._call("POST", path)

    def upload_photos(
        self, shop_id: str, listing_id: str, files: list[tuple[str, IO[bytes], str]]
    ) -> dict:
        """Send photos (name, stream, content type) to a listing; the listing as it is then."""
        # Resizing ten large photos takes a few seconds on the service's side.
        patient = self._patient()
        path = f"/shops/{quote_id(shop_id)}/listings/{quote_id(listing_id)}/photos"
        return patient._call("POST", path, files=[("photos", file) for file in files])

    def arrange_photos(self, shop_id: str, listing_id: str, **arrangement: Any) -> dict:
        """`order` (every key), `cover` (a key) and/or `alt` ({key: text})."""
        path = f"/shops/{quote_id(shop_id)}/listings/{quote_id(listing_id)}/photos"
        return self._call("PATCH", path, json=arrangement)

    def remove_photo(self, shop_id: str, listing_id: str, key: str) -> dict:
        path = f"/shops/{quote_id(shop_id)}/listings/{quote_id(listing_id)}/photos/{quote_id(key)}"
        return self._call("DELETE", path)

    def set_shop_image(self, shop_id: str, which: str, file: tuple[str, IO[bytes], str]) -> dict:
        """The shop's `logo` or `banner` from an image file; the shop as it is then."""
        patient = self._patient()
        return patient._call("PUT", f"/shops/{quote_id(shop_id)}/{which}", files={"image": file})

    def remove_shop_image(self, shop_id: str, which: str) -> dict:
        return self._call("DELETE", f"/shops/{quote_id(shop_id)}/{which}")

    def uploads(self, shop_id: str) -> list[dict]:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/uploads").get("uploads", [])

    def upload_job(self, shop_id: str, job_id: str) -> dict:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/uploads/{quote_id(job_id)}")

    def export(self, shop_id: str, name: str) -> requests.Response:
        """An open, streaming response for one of EXPORTS; close it when done."""
        assert name in EXPORTS, name
        return open_stream(self, f"/shops/{quote_id(shop_id)}/export/{name}.csv")

    def _patient(self) -> ShopsClient:
        """This client, waiting as long as a large file takes to hand over. A copy, so that
        whatever answers this client's calls (a page test's fakes) answers the copy's too."""
        patient = copy.copy(self)
        patient.timeout = max(self.timeout, UPLOAD_TIMEOUT)
        return patient

    def orders(self, shop_id: str) -> list[dict]:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/orders").get("orders", [])

    def order(self, shop_id: str, shop_order_id: str) -> dict:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/orders/{quote_id(shop_order_id)}")

    def accept(self, shop_id: str, shop_order_id: str) -> dict:
        path = f"/shops/{quote_id(shop_id)}/orders/{quote_id(shop_order_id)}/accept"
        return self._call("POST", path)

    def propose_extra_charge(
        self, shop_id: str, shop_order_id: str, *, amount: int, reason: str
    ) -> dict:
        path = f"/shops/{quote_id(shop_id)}/orders/{quote_id(shop_order_id)}/extra-charge"
        return self._call("POST", path, json={"amount": amount, "reason": reason})

    def decline(self, shop_id: str, shop_order_id: str, *, reason: str) -> dict:
        path = f"/shops/{quote_id(shop_id)}/orders/{quote_id(shop_order_id)}/decline"
        return self._call("POST", path, json={"reason": reason})

    def collection_step(self, shop_id: str, shop_order_id: str, action: str) -> dict:
        """`ready-to-collect` or `collected`, for an order the buyer collects in person."""
        path = f"/shops/{quote_id(shop_id)}/orders/{quote_id(shop_order_id)}/{action}"
        return self._call("POST", path)

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


def open_stream(client: ServiceClient, path: str) -> requests.Response:
    """GET `path` without reading the body, so a large CSV passes through a chunk at a time.

    Errors are raised as `_call` raises them; on success the caller owns (and closes) the
    response.
    """
    headers = {"Accept": "text/csv, application/json"}
    if client.token:
        headers["Authorization"] = f"Bearer {client.token}"
    try:
        response = _http().get(
            client.base_url + path, headers=headers, timeout=client.timeout, stream=True
        )
    except requests.RequestException as error:
        raise ServiceUnavailable(client.service, repr(error)) from error
    if response.status_code < 400:
        return response
    with response:
        if response.status_code >= 500:
            raise ServiceUnavailable(client.service, f"HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            body = {}
    body = body if isinstance(body, dict) else {}
    raise ServiceError(
        response.status_code,
        str(body.get("error") or f"The download was refused ({response.status_code})."),
    )
