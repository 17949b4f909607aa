"""The orders service's side for sellers: what the shop sold and what it is owed."""

from __future__ import annotations

import requests

from gateway.clients.base import ServiceClient, quote_id
from gateway.clients.shops import open_stream


class BillingClient(ServiceClient):
    service = "orders"

    def statement(self, shop_id: str) -> dict:
        """`{shop_id, totals: [bucket], weeks: [bucket with week]}`, amounts in minor units.

        A bucket: `{currency, sales, refunds, commission, net, parts}`.
        """
        return self._call("GET", f"/shops/{quote_id(shop_id)}/statement")

    def statement_csv(self, shop_id: str) -> requests.Response:
        """An open, streaming response; close it when done."""
        return open_stream(self, f"/shops/{quote_id(shop_id)}/statement.csv")

    def orders_summary(self, shop_id: str) -> dict:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/orders-summary")
