"""Listings: the shop's inventory for its members, one listing and the feed for everyone."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import StrictFloat, StrictInt

from services.common.web import ApiError, parse_json, require_principal
from services.shops.api.common import Body, PriceIn, bool_arg, int_arg, transaction
from services.shops.domain import check_listing
from services.shops.handlers import listings as handlers
from services.shops.handlers import photos as photo_handlers
from services.shops.handlers.shops import member_shop
from services.shops.views import listing_json

blueprint = Blueprint("listings", __name__)
FEED_MAX = 1000
PER_PAGE_MAX = 500


class ListingIn(Body):
    title: str
    price: PriceIn
    quantity: StrictInt
    sku: str | None = None
    author: str | None = None
    isbn: str | None = None
    publisher: str | None = None
    year: StrictInt | None = None
    binding: str | None = None
    condition: str | None = None
    condition_notes: str | None = None
    description: str | None = None
    categories: list[str] | None = None
    photos: list[str] | None = None


class ListingPatch(Body):
    # Title, price and quantity may be left out but never cleared, so they are not Optional.
    title: str = ""
    price: PriceIn = PriceIn(amount=0)
    quantity: StrictInt = 0
    sku: str | None = None
    author: str | None = None
    isbn: str | None = None
    publisher: str | None = None
    year: StrictInt | None = None
    binding: str | None = None
    condition: str | None = None
    condition_notes: str | None = None
    description: str | None = None
    categories: list[str] | None = None
    photos: list[str] | None = None


class BulkIn(Body):
    listing_ids: list[str]
    set_price: StrictInt | None = None
    adjust_price_percent: StrictFloat | StrictInt | None = None
    set_quantity: StrictInt | None = None
    adjust_quantity: StrictInt | None = None


@blueprint.get("/shops/<shop_id>/listings")
def shop_listings(shop_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        query = handlers.ListingQuery(
            q=request.args.get("q", ""),
            in_stock=bool_arg("in_stock"),
            condition=request.args.get("condition") or None,
            sort=request.args.get("sort", "-updated"),
            page=int_arg("page", default=1, low=1, high=1_000_000),
            per_page=int_arg("per_page", default=100, low=1, high=PER_PAGE_MAX),
        )
        listings, total = handlers.find_listings(session, shop=shop, query=query)
        return jsonify(
            listings=[listing_json(listing) for listing in listings],
            total=total,
            page=query.page,
            per_page=query.per_page,
        )


@blueprint.post("/shops/<shop_id>/listings")
def add_listing(shop_id: str) -> tuple[Response, int]:
    principal = require_principal()
    with transaction() as session:
        # Membership first: a stranger learns nothing about the shop, not even its rules.
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        body = parse_json(ListingIn)
        fields = body.model_dump(exclude={"price"})
        draft = check_listing(
            **fields,
            price_amount=body.price.amount,
            price_currency=body.price.currency or shop.currency,
        )
        listing = handlers.add_listing(session, shop=shop, draft=draft)
        return jsonify(listing_json(listing)), 201


@blueprint.patch("/shops/<shop_id>/listings/<listing_id>")
def change_listing(shop_id: str, listing_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        changes: dict[str, Any] = parse_json(ListingPatch).model_dump(exclude_unset=True)
        if "price" in changes:
            price = changes.pop("price")
            changes["price_amount"] = price["amount"]
            changes["price_currency"] = price.get("currency") or shop.currency
        for name in ("categories", "photos"):
            if name in changes:
                changes[name] = tuple(changes[name] or ())
        listing = handlers.change_one(session, shop=shop, listing_id=listing_id, changes=changes)
        return jsonify(listing_json(listing))


@blueprint.delete("/shops/<shop_id>/listings/<listing_id>")
def remove_listing(shop_id: str, listing_id: str) -> tuple[str, int]:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        keys = handlers.remove_listing(session, shop=shop, listing_id=listing_id)
    # Only once the listing is gone for good: a failed delete keeps its photos with it.
    with transaction(read_only=True) as session:
        photo_handlers.delete_unused_files(session, current_app.extensions["photo_store"], keys)
    return "", 204


@blueprint.post("/shops/<shop_id>/listings/bulk")
def bulk_change(shop_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        body = parse_json(BulkIn)
        change = handlers.BulkChange(**body.model_dump(exclude={"listing_ids"}))
        listings = handlers.change_many(
            session, shop=shop, listing_ids=body.listing_ids, change=change
        )
        return jsonify(listings=[listing_json(listing) for listing in listings])


@blueprint.get("/listings/<listing_id>")
def listing_detail(listing_id: str) -> Response:
    with transaction(read_only=True) as session:
        listing, shop = handlers.public_listing(session, listing_id=listing_id)
        return jsonify(listing_json(listing, shop))


@blueprint.get("/listings")
def listing_feed() -> Response:
    """Every listing of every shop in id order, a page at a time: for rebuilding search."""
    after = request.args.get("after", "")
    if len(after) > 64:
        raise ApiError(422, "after must be a listing id")
    limit = int_arg("limit", default=FEED_MAX, low=1, high=FEED_MAX)
    with transaction() as session:
        listings = handlers.listing_feed(session, after=after, limit=limit)
        return jsonify(
            listings=[listing_json(listing) for listing in listings],
            next_after=listings[-1].id if len(listings) == limit else None,
        )
