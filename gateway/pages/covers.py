"""The cover photos of the listings a page lists (the lines of a cart, an order, a packing
slip, a want's matches), asked of the catalog in one call with the page's other calls."""

from __future__ import annotations

from collections.abc import Iterable

from gateway.identity import catalog_client
from gateway.pages.gather import Ask

MAX_COVERS = 100


def covers_ask(listing_ids: Iterable[object]) -> Ask:
    """An ask for {listing id: image}; a line without its picture is still the line, so the
    page says nothing when the catalog cannot answer."""
    ids = sorted({str(listing_id) for listing_id in listing_ids if listing_id})[:MAX_COVERS]
    client = catalog_client()
    return Ask(lambda: client.covers(ids), "")


def line_listing_ids(lines: Iterable[dict]) -> list[object]:
    return [line.get("listing_id") for line in lines]
