"""One of the seller's own listings, for the pages that change it (edit, photos)."""

from __future__ import annotations

from flask import abort

from gateway import identity
from gateway.clients import ServiceError


def own_listing(shop: dict, listing_id: str) -> dict:
    # The public read names the listing's shop; another shop's listing is "not found" here.
    try:
        listing = identity.shops_client().listing(listing_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such listing in your shop.")
        raise
    if listing.get("shop_id") != shop["id"]:
        abort(404, "There is no such listing in your shop.")
    return listing
