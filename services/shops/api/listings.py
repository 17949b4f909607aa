"""Listings: the shop's inventory for its members, one listing and the feed for everyone."""

from __future__ import annotations

from typing import Annotated, Any

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import Field, StrictFloat, StrictInt

from services.common.inputs import Id, Line, MinorUnits, Text, WholeNumber
from services.common.openapi import describe
from services.common.web import ApiError, parse_json, require_principal
from services.shops.api.common import Body, PriceIn, bool_arg, int_arg, transaction
from services.shops.api.docs import ListingFeed, ListingOut, ListingsOut, ListingsPage, spec
from services.shops.domain import check_listing
from services.shops.handlers import listings as handlers
from services.shops.handlers import photos as photo_handlers
from services.shops.handlers.shops import member_shop
from services.shops.views import listing_json

# Refusals as docs/api.md says; 403 where only the owner may.
ERRORS = (400, 401, 403, 404, 409, 422)
blueprint = Blueprint("listings", __name__)
FEED_MAX = 1000
PER_PAGE_MAX = 500

# A year a book may carry: generous both ways, and small enough for any integer column.
Year = Annotated[StrictInt, Field(ge=-5000, le=5000)]
MAX_ITEMS = 100
MAX_BULK = 1000


class ListingIn(Body):
    title: Text
    price: PriceIn
    quantity: WholeNumber
    sku: Line | None = None
    author: Line | None = None
    isbn: Line | None = None
    publisher: Line | None = None
    year: Year | None = None
    binding: Line | None = None
    condition: Line | None = None
    condition_notes: Text | None = None
    description: Text | None = None
    categories: list[Line] | None = Field(default=None, max_length=MAX_ITEMS)
    photos: list[Line] | None = Field(default=None, max_length=MAX_ITEMS)


class ListingPatch(Body):
    # Title, price and quantity may be left out but never cleared, so they are not Optional.
    title: Text = ""
    price: PriceIn = PriceIn(amount=0)
    quantity: WholeNumber = 0
    sku: Line | None = None
    author: Line | None = None
    isbn: Line | None = None
    publisher: Line | None = None
    year: Year | None = None
    binding: Line | None = None
    condition: Line | None = None
    condition_notes: Text | None = None
    description: Text | None = None
    categories: list[Line] | None = Field(default=None, max_length=MAX_ITEMS)
    photos: list[Line] | None = Field(default=None, max_length=MAX_ITEMS)


class BulkIn(Body):
    listing_ids: list[Id] = Field(max_length=MAX_BULK)
    set_price: MinorUnits | None = None
    # From -100 % (free) to +1000 %: a finite number whose result fits any price column.
    adjust_price_percent: (
        Annotated[StrictFloat | StrictInt, Field(ge=-100, le=1000, allow_inf_nan=False)] | None
    ) = None
    set_quantity: WholeNumber | None = None
    adjust_quantity: WholeNumber | None = None


@blueprint.get("/shops/<shop_id>/listings")
@describe(spec, tag="listings", answer=ListingsPage, errors=ERRORS)
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
@describe(spec, tag="listings", ok=201, answer=ListingOut, body=ListingIn, errors=ERRORS)
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
@describe(spec, tag="listings", answer=ListingOut, body=ListingPatch, errors=ERRORS)
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
@describe(spec, tag="listings", ok=204, errors=ERRORS)
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
@describe(spec, tag="listings", answer=ListingsOut, body=BulkIn, errors=ERRORS)
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
@describe(spec, tag="listings", answer=ListingOut, errors=ERRORS)
def listing_detail(listing_id: str) -> Response:
    with transaction(read_only=True) as session:
        listing, shop = handlers.public_listing(session, listing_id=listing_id)
        return jsonify(listing_json(listing, shop))


@blueprint.get("/listings")
@describe(spec, tag="listings", answer=ListingFeed, errors=ERRORS)
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
