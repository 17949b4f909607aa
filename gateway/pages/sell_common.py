"""What every page of the seller portal shares: the person's shop, clients, time left."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import requests
from flask import Response, abort, flash, redirect, session, url_for

from gateway import identity
from gateway.clients.billing import BillingClient
from services.common.clock import as_utc, utcnow

# Answers due within this many hours are shown as urgent.
URGENT_HOURS = 6
DOWNLOAD_CHUNK = 64 * 1024


# The session key of the shop a member of several shops is working on in the portal.
CHOSEN_SHOP_KEY = "sell_shop"


# The shop the portal last showed this session, only to name it when the person has left it.
SHOWN_SHOP_KEY = "sell_shop_shown"


def current_shop() -> dict | None:
    """The shop the portal shows: the one chosen in this session, else the person's first."""
    shops = identity.my_shops()
    chosen = session.get(CHOSEN_SHOP_KEY)
    shop = next((shop for shop in shops if shop["id"] == chosen), shops[0] if shops else None)
    if shop is not None:
        session[SHOWN_SHOP_KEY] = {"id": shop["id"], "name": shop["name"]}
    return shop


def choose_shop(shop_id: str) -> dict | None:
    """Work on `shop_id` from now on in this session; None when the person is not a member."""
    # Asked again: the shop may have been opened earlier in this very request.
    shops = identity.my_shops(refresh=True)
    shop = next((shop for shop in shops if shop["id"] == shop_id), None)
    if shop is not None:
        session[CHOSEN_SHOP_KEY] = shop["id"]
    return shop


def left_shop_redirect() -> Response | None:
    """After a refusal in the portal: if the person is no longer a member of the shop this
    session was working on, say so and go back to the portal's start; else None."""
    shown = session.get(SHOWN_SHOP_KEY)
    chosen = session.get(CHOSEN_SHOP_KEY) or (shown or {}).get("id")
    if chosen is None:
        return None
    if any(shop["id"] == chosen for shop in identity.my_shops(refresh=True)):
        return None
    return _left(chosen)


def _left(shop_id: str) -> Response:
    session.pop(CHOSEN_SHOP_KEY, None)
    shown = session.pop(SHOWN_SHOP_KEY, None) or {}
    name = shown.get("name") if shown.get("id") == shop_id else None
    flash(f"You are no longer a member of {name or 'that shop'}.", "info")
    return redirect(url_for("sell.dashboard"))


def require_shop() -> dict:
    shop = current_shop()
    if shop is None:
        shown = session.get(SHOWN_SHOP_KEY)
        if shown:
            # The shop this session worked on is gone from the person's shops.
            abort(_left(shown["id"]))
        flash("Open your shop first.", "info")
        abort(redirect(url_for("sell.dashboard")))
    return shop


def billing_client() -> BillingClient:
    # The orders service checks the shops named in the token against the membership it
    # follows; the token names the shops the person belongs to now.
    return identity.client_of(BillingClient, "orders")


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return as_utc(moment)


def time_left(respond_by: str | None, *, now: datetime | None = None) -> dict | None:
    """How long the shop has left to answer: `{text, urgent, overdue}`, or None."""
    deadline = parse_time(respond_by)
    if deadline is None:
        return None
    seconds = int((deadline - (now or utcnow())).total_seconds())
    if seconds <= 0:
        return {"text": "time is up", "urgent": True, "overdue": True}
    hours, minutes = divmod(seconds // 60, 60)
    if hours >= 48:
        text = f"{hours // 24} days left"
    elif hours:
        text = f"{hours} h {minutes} min left"
    else:
        text = f"{max(minutes, 1)} min left"
    return {"text": text, "urgent": hours < URGENT_HOURS, "overdue": False}


def csv_download(upstream: requests.Response, *, filename: str) -> Response:
    """Pass a service's CSV through to the browser a chunk at a time, under our filename."""

    # The generator needs no request context; closing it (the browser went away) closes
    # the connection to the service too.
    def chunks() -> Iterator[bytes]:
        with upstream:
            yield from upstream.iter_content(DOWNLOAD_CHUNK)

    return Response(
        chunks(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def download_name(shop: dict, name: str) -> str:
    slug = "".join(c for c in (shop.get("slug") or "shop") if c.isalnum() or c == "-")
    return f"{slug or 'shop'}-{name}.csv"
