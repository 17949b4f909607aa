"""The shops HTTP API (docs/api.md "shops"): parse, call a handler, render JSON."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Blueprint, Response, current_app, jsonify
from pydantic import BaseModel, ConfigDict, StrictInt
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.runtime import Runtime
from services.common.web import ApiError, parse_json, require_principal
from services.shops import handlers
from services.shops.domain import (
    Conflict,
    IllegalTransition,
    InvalidInput,
    NotFound,
    check_listing,
    check_shop,
)
from services.shops.views import listing_json, shop_json, shop_order_json

blueprint = Blueprint("shops", __name__)


class _Body(BaseModel):
    # The gateway may send more than we read; unknown fields are ignored, not refused.
    model_config = ConfigDict(extra="ignore")


class ShopIn(_Body):
    name: str
    signature: str
    about: str | None = None
    country: str | None = None
    currency: str | None = None


class PriceIn(_Body):
    amount: StrictInt
    currency: str | None = None


class ListingIn(_Body):
    title: str
    price: PriceIn
    quantity: StrictInt
    sku: str | None = None
    author: str | None = None
    isbn: str | None = None
    condition: str | None = None
    description: str | None = None


class DeclineIn(_Body):
    reason: str | None = None


class ShipIn(_Body):
    note: str | None = None
    carrier: str | None = None
    tracking_number: str | None = None


@contextmanager
def transaction() -> Iterator[Session]:
    """One transaction per request; a refused rule rolls it back and becomes a 4xx."""
    runtime: Runtime = current_app.extensions["runtime"]
    try:
        with runtime.session_factory.begin() as session:
            yield session
    except InvalidInput as error:
        raise ApiError(422, str(error), fields=error.fields) from error
    except NotFound as error:
        raise ApiError(404, str(error)) from error
    except (Conflict, IllegalTransition) as error:
        raise ApiError(409, str(error)) from error
    except IntegrityError as error:
        # A concurrent request took the same unique value between our check and our write.
        message = "this clashes with a change made at the same moment; try again"
        raise ApiError(409, message) from error


# --- shops ------------------------------------------------------------------------------


@blueprint.post("/shops")
def open_shop() -> tuple[Response, int]:
    principal = require_principal()
    body = parse_json(ShopIn)
    with transaction() as session:
        draft = check_shop(
            name=body.name,
            signature=body.signature,
            about=body.about,
            country=body.country,
            currency=body.currency,
        )
        shop = handlers.open_shop(session, user_id=principal.user_id, draft=draft)
        return jsonify(shop_json(shop)), 201


@blueprint.get("/shops/mine")
def my_shops() -> Response:
    principal = require_principal()
    with transaction() as session:
        shops = handlers.shops_of(session, user_id=principal.user_id)
        return jsonify(shops=[shop_json(shop) for shop in shops])


@blueprint.get("/shops/<shop_id>")
def shop_profile(shop_id: str) -> Response:
    with transaction() as session:
        return jsonify(shop_json(handlers.public_shop(session, shop_id=shop_id)))


# --- listings ---------------------------------------------------------------------------


@blueprint.get("/shops/<shop_id>/listings")
def shop_listings(shop_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = handlers.member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        listings = handlers.shop_listings(session, shop=shop)
        return jsonify(listings=[listing_json(listing) for listing in listings])


@blueprint.post("/shops/<shop_id>/listings")
def add_listing(shop_id: str) -> tuple[Response, int]:
    principal = require_principal()
    with transaction() as session:
        # Membership first: a stranger learns nothing about the shop, not even its rules.
        shop = handlers.member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        body = parse_json(ListingIn)
        draft = check_listing(
            title=body.title,
            price_amount=body.price.amount,
            price_currency=body.price.currency or shop.currency,
            quantity=body.quantity,
            sku=body.sku,
            author=body.author,
            isbn=body.isbn,
            condition=body.condition,
            description=body.description,
        )
        listing = handlers.add_listing(session, shop=shop, draft=draft)
        return jsonify(listing_json(listing)), 201


@blueprint.get("/listings/<listing_id>")
def listing_detail(listing_id: str) -> Response:
    with transaction() as session:
        listing, shop = handlers.public_listing(session, listing_id=listing_id)
        return jsonify(listing_json(listing, shop))


# --- orders -----------------------------------------------------------------------------


@blueprint.get("/shops/<shop_id>/orders")
def shop_orders(shop_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = handlers.member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        orders = handlers.shop_orders(session, shop=shop)
        return jsonify(orders=[shop_order_json(order) for order in orders])


@blueprint.get("/shops/<shop_id>/orders/<shop_order_id>")
def shop_order(shop_id: str, shop_order_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = handlers.member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        order = handlers.shop_order(session, shop=shop, shop_order_id=shop_order_id)
        return jsonify(shop_order_json(order))


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/accept")
def accept_order(shop_id: str, shop_order_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = handlers.member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        order = handlers.accept_order(session, shop=shop, shop_order_id=shop_order_id)
        return jsonify(shop_order_json(order))


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/decline")
def decline_order(shop_id: str, shop_order_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = handlers.member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        body = parse_json(DeclineIn)
        order = handlers.decline_order(
            session, shop=shop, shop_order_id=shop_order_id, reason=body.reason
        )
        return jsonify(shop_order_json(order))


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/ship")
def ship_order(shop_id: str, shop_order_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = handlers.member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        body = parse_json(ShipIn)
        order = handlers.ship_order(
            session,
            shop=shop,
            shop_order_id=shop_order_id,
            note=body.note,
            carrier=body.carrier,
            tracking_number=body.tracking_number,
        )
        return jsonify(shop_order_json(order))
