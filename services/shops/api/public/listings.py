"""Public API: the shop's listings by its own SKU, one at a time, in bulk, and stock deltas."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from pydantic import ValidationError
from sqlalchemy import select

from services.common.clock import utcnow
from services.common.inputs import Line, WholeNumber
from services.common.web import ApiError, invalid_input, parse_json
from services.shops.api.common import Body, int_arg, transaction
from services.shops.api.listings import ListingIn, ListingPatch
from services.shops.api.public.base import (
    blueprint,
    caller,
    decode_cursor,
    documented,
    encode_cursor,
    idempotent,
    the_shop,
    with_etag,
)
from services.shops.api.public.schemas import (
    BulkResult,
    IdempotencyHeaders,
    Listing,
    ListingPage,
    ListingsQuery,
)
from services.shops.db import Listing as ListingRow
from services.shops.db import Shop
from services.shops.domain import InvalidInput, ListingDraft, NotFound, check_listing
from services.shops.handlers import listings as handlers
from services.shops.uploads.apply import upsert_drafts
from services.shops.views import listing_json

PAGE_MAX = 500
BULK_MAX = handlers.BULK_MAX
NO_SUCH_SKU = "no listing with this SKU in your shop"


class SkuListingIn(ListingIn):
    sku: Line  # type: ignore[assignment]  # required here: the shop's software knows it


class BulkUpsertIn(Body):
    listings: list[dict[str, Any]]


class StockDeltaIn(Body):
    delta: WholeNumber


def _draft(shop: Shop, body: SkuListingIn) -> ListingDraft:
    fields = body.model_dump(exclude={"price"})
    return check_listing(
        **fields,
        price_amount=body.price.amount,
        price_currency=body.price.currency or shop.currency,
    )


def _by_sku(session: Any, shop: Shop, sku: str) -> ListingRow:
    listing = session.scalars(
        select(ListingRow).where(ListingRow.shop_id == shop.id, ListingRow.sku == sku)
    ).first()
    if listing is None:
        raise NotFound(NO_SUCH_SKU)
    return listing


@blueprint.get("/listings")
@documented(tag="listings", answer=ListingPage, query=ListingsQuery, not_modified=True)
def list_listings() -> Response:
    who = caller("inventory:read")
    limit = int_arg("limit", default=100, low=1, high=PAGE_MAX)
    after = decode_cursor(length=1)
    with transaction(read_only=True) as session:
        query = select(ListingRow).where(ListingRow.shop_id == who.shop_id).order_by(ListingRow.id)
        if after is not None:
            query = query.where(ListingRow.id > after[0])
        listings = list(session.scalars(query.limit(limit)))
        more = len(listings) == limit
        return with_etag(
            jsonify(
                listings=[listing_json(listing) for listing in listings],
                next_cursor=encode_cursor([listings[-1].id]) if more else None,
            )
        )


@blueprint.post("/listings")
@documented(tag="listings", ok=201, answer=Listing, body=SkuListingIn)
def create_listing() -> tuple[Response, int]:
    who = caller("inventory:write")
    with transaction() as session:
        shop = the_shop(session, who)
        listing = handlers.add_listing(
            session, shop=shop, draft=_draft(shop, parse_json(SkuListingIn))
        )
        return jsonify(listing_json(listing)), 201


@blueprint.get("/listings/<sku>")
@documented(tag="listings", answer=Listing, not_modified=True)
def read_listing(sku: str) -> Response:
    who = caller("inventory:read")
    with transaction(read_only=True) as session:
        shop = the_shop(session, who)
        return with_etag(jsonify(listing_json(_by_sku(session, shop, sku))))


@blueprint.patch("/listings/<sku>")
@documented(tag="listings", answer=Listing, body=ListingPatch)
def change_listing(sku: str) -> Response:
    who = caller("inventory:write")
    with transaction() as session:
        shop = the_shop(session, who)
        listing = _by_sku(session, shop, sku)
        changes: dict[str, Any] = parse_json(ListingPatch).model_dump(exclude_unset=True)
        if "price" in changes:
            price = changes.pop("price")
            changes["price_amount"] = price["amount"]
            changes["price_currency"] = price.get("currency") or shop.currency
        for name in ("categories", "photos"):
            if name in changes:
                changes[name] = tuple(changes[name] or ())
        listing = handlers.change_one(session, shop=shop, listing_id=listing.id, changes=changes)
        return jsonify(listing_json(listing))


@blueprint.delete("/listings/<sku>")
@documented(tag="listings", ok=204)
def delete_listing(sku: str) -> tuple[str, int]:
    who = caller("inventory:write")
    with transaction() as session:
        shop = the_shop(session, who)
        handlers.remove_listing(session, shop=shop, listing_id=_by_sku(session, shop, sku).id)
        return "", 204


@blueprint.post("/listings/<sku>/stock")
@documented(tag="listings", answer=Listing, body=StockDeltaIn, headers=IdempotencyHeaders)
def change_stock(sku: str) -> tuple[Response, int]:
    """Add to or take from the stock; a delta that would go below zero changes nothing."""
    who = caller("inventory:write")
    with transaction() as session:
        shop = the_shop(session, who)
        body = parse_json(StockDeltaIn)

        def work() -> tuple[dict[str, Any], int]:
            listing = _by_sku(session, shop, sku)
            listing = handlers.change_stock(
                session, shop=shop, listing_id=listing.id, delta=body.delta
            )
            return listing_json(listing), 200

        return idempotent(session, shop, work)


@blueprint.post("/listings/bulk")
@documented(tag="listings", answer=BulkResult, body=BulkUpsertIn, headers=IdempotencyHeaders)
def bulk_upsert() -> tuple[Response, int]:
    """Create or update up to 1,000 listings by SKU; each item gets its own answer."""
    who = caller("inventory:write")
    with transaction() as session:
        shop = the_shop(session, who)
        items = parse_json(BulkUpsertIn).listings
        if not 1 <= len(items) <= BULK_MAX:
            raise ApiError(
                422, f"send 1 to {BULK_MAX} listings per call", fields={"listings": "size"}
            )

        def work() -> tuple[dict[str, Any], int]:
            return _upsert_items(session, shop, items), 200

        return idempotent(session, shop, work)


def _upsert_items(session: Any, shop: Shop, items: list[dict[str, Any]]) -> dict[str, Any]:
    now = utcnow()
    results: list[dict[str, Any]] = []
    drafts: dict[str, ListingDraft] = {}
    for index, item in enumerate(items):
        sku = item.get("sku") if isinstance(item, dict) else None
        try:
            body = SkuListingIn.model_validate(item)
            draft = _draft(shop, body)
        except ValidationError as error:
            fields = invalid_input(error, what="listing", whole="item").fields
            results.append({"index": index, "sku": sku, "status": "rejected", "errors": fields})
            continue
        except InvalidInput as error:
            results.append(
                {"index": index, "sku": sku, "status": "rejected", "errors": error.fields}
            )
            continue
        # A SKU sent twice: the later item wins, as in a file upload.
        drafts[body.sku] = draft
        results.append({"index": index, "sku": body.sku, "status": None})
    outcomes = upsert_drafts(session, shop=shop, drafts=drafts, now=now)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    for result in results:
        if result["status"] is None:
            result["status"] = outcomes[result["sku"]]
        counts[result["status"]] += 1
    return {"results": results, **counts}
