"""A shop's own software speaking to the storefront's public API: the sandbox example.

    STOREFRONT_API=http://127.0.0.1:8001/api/v1 STOREFRONT_TOKEN=sft_... python docs/sandbox.py

Make the token in the seller portal (Settings → API tokens) with the scopes
inventory:read, inventory:write, orders:read and orders:write. With `make run` the shops
service answers at http://127.0.0.1:8001 (in production: https://<site>/api/v1).

It lists the shop's listings a page at a time, adds one copy to the first listing's stock
(once, however often it is retried, thanks to the Idempotency-Key), and accepts the oldest
pending order (it may ship once its payment is confirmed). Only `requests` is needed.
Webhook receivers check each delivery as `verify()` at the end shows.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sys
import time
import uuid

import requests

API = os.environ.get("STOREFRONT_API", "http://127.0.0.1:8001/api/v1").rstrip("/")
TOKEN = os.environ.get("STOREFRONT_TOKEN", "")


def call(session: requests.Session, method: str, path: str, **options) -> dict:
    """One call; a problem detail (RFC 9457) is printed and ends the script, a 429 waits."""
    while True:
        answer = session.request(method, API + path, timeout=30, **options)
        if answer.status_code == 429:
            time.sleep(int(answer.headers.get("Retry-After", "1")))
            continue
        if answer.status_code >= 400:
            problem = answer.json()
            sys.exit(f"{method} {path}: {problem['status']} {problem['detail']}")
        return answer.json() if answer.content else {}


def every_listing(session: requests.Session):
    cursor = ""
    while True:
        page = call(session, "GET", "/listings", params={"limit": 100, "cursor": cursor})
        yield from page["listings"]
        cursor = page["next_cursor"]
        if not cursor:
            return


def main() -> None:
    if not TOKEN:
        sys.exit("set STOREFRONT_TOKEN to a token made in the seller portal")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {TOKEN}"

    listings = list(every_listing(session))
    print(f"{len(listings)} listings")
    for listing in listings[:5]:
        print(f"  {listing['sku'] or '(no SKU)'}: {listing['title']} ×{listing['quantity']}")

    with_sku = [listing for listing in listings if listing["sku"]]
    if with_sku:
        sku = with_sku[0]["sku"]
        # A new key per change; the same key again (a retry after a timeout) changes nothing.
        key = str(uuid.uuid4())
        changed = call(
            session,
            "POST",
            f"/listings/{sku}/stock",
            json={"delta": 1},
            headers={"Idempotency-Key": key},
        )
        print(f"stock of {sku} is now {changed['quantity']}")

    pending = call(session, "GET", "/orders", params={"status": "pending"})["orders"]
    if pending:
        order = call(session, "POST", f"/orders/{pending[0]['id']}/accept")
        print(f"accepted order {order['id']} of {order['buyer']['name']}: {order['status']}")
        # Ship only once the buyer's payment is confirmed (the order.paid webhook says so);
        # before that the ship call answers 409.
        print(f"its payment: {order['payment']}; ready to ship: {order['ready_to_ship']}")
    else:
        print("no pending order to answer")


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300) -> bool:
    """Check a webhook delivery: `Storefront-Signature: t=<unix time>,v1=<hex>` is the
    HMAC-SHA256 of "<t>." + the raw body under the endpoint's secret. Refuse old ones."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    fresh = abs(time.time() - timestamp) <= tolerance
    return fresh and hmac.compare_digest(expected.hexdigest(), fields.get("v1", ""))


if __name__ == "__main__":
    main()
