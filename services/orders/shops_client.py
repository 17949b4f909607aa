"""The HTTP adapter of the ListingDirectory port: GET {SHOPS_URL}/listings/<id>."""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import orjson
import urllib3

from services.common import correlation
from services.orders.domain.money import Money
from services.orders.domain.shipping import ShippingRates
from services.orders.listings import ListingInfo, ShopsUnavailable

log = logging.getLogger(__name__)

# Kept-alive connections to the shops service: at least one per thread of a web process.
POOL_SIZE = 16


class HttpListingDirectory:
    def __init__(self, base_url: str, *, timeout: float = 3.0) -> None:
        self.base_url = base_url.rstrip("/")
        # (connect, read): a shops service that is down fails fast, a slow one gets longer.
        self.timeout = urllib3.Timeout(connect=min(timeout, 2.0), read=timeout)
        # urllib3 rather than requests: a lookup runs for every cart line at checkout, and
        # requests' sessions, hooks and adapters cost as much CPU again as the request.
        # The pool is thread-safe and keeps a connection alive per concurrent caller: a new
        # TCP connection for every cart line costs more than the request itself.
        self._pool = urllib3.PoolManager(maxsize=POOL_SIZE, retries=False)

    def get(self, listing_id: str) -> ListingInfo | None:
        # Quoting keeps an odd id inside its path segment instead of reaching another route.
        url = f"{self.base_url}/listings/{quote(listing_id, safe='')}"
        try:
            response = self._get(url)
        except urllib3.exceptions.HTTPError as error:
            log.warning("shops service unreachable", extra={"url": url, "error": repr(error)})
            raise ShopsUnavailable() from error
        if response.status == 404:
            return None
        if response.status != 200:
            log.warning(
                "shops service answered with an error",
                extra={"url": url, "status": response.status},
            )
            raise ShopsUnavailable()
        try:
            return listing_from_json(json.loads(response.data))
        except (ValueError, KeyError, TypeError) as error:
            # A body we cannot read is the shops service's fault, not the buyer's.
            log.error("unexpected listing from the shops service", extra={"url": url})
            raise ShopsUnavailable() from error

    def _get(self, url: str) -> urllib3.BaseHTTPResponse:
        # The checkout's request id, so the shops service's lines about it carry it too.
        correlation_id = correlation.current()
        headers = {correlation.HEADER: correlation_id} if correlation_id else None
        try:
            return self._pool.request("GET", url, headers=headers, timeout=self.timeout)
        except urllib3.exceptions.ProtocolError:
            # The shops service may close an idle kept-alive connection just as it is
            # reused; a GET is safe to send once more, on a new connection.
            return self._pool.request("GET", url, headers=headers, timeout=self.timeout)


def listing_from_json(body: dict[str, Any]) -> ListingInfo:
    """Read the listing shape documented in docs/api.md (shops: GET /listings/<id>)."""
    shop = body.get("shop") or {}
    price = body["price"]
    # Older shops services send no rates, vacation or purchasable flag: free shipping, open.
    shipping = shop.get("shipping")
    return ListingInfo(
        id=str(body["id"]),
        shop_id=str(body["shop_id"]),
        shop_name=str(shop.get("name") or ""),
        title=str(body["title"]),
        price=Money(int(price["amount"]), str(price["currency"]).upper()),
        quantity=int(body["quantity"]),
        shop_country=str(shop["country"]).upper() if shop.get("country") else None,
        shipping=_rates(orjson.dumps(shipping, option=orjson.OPT_SORT_KEYS)) if shipping else None,
        on_vacation=bool(shop.get("on_vacation", False)),
        purchasable=bool(body.get("purchasable", True)),
    )


@lru_cache(maxsize=1024)
def _rates(shipping: bytes) -> ShippingRates:
    # A checkout reads the same few shops' rates for every line: read each profile once.
    return ShippingRates.from_dict(orjson.loads(shipping))
