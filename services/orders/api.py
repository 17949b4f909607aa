"""HTTP entry points: cart, checkout and the buyer's orders (docs/api.md, "orders").

Thin on purpose: parse with pydantic, call a use case or a view, render JSON. Every route
needs a service token; what it reads or changes is always the token's user's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.common.clock import utcnow
from services.common.db import reading
from services.common.inputs import (
    MAX_MINOR_UNITS,
    CountryCode,
    Id,
    Multiline,
    OneLine,
    is_country,
)
from services.common.openapi import describe
from services.common.postal import InvalidPostalAddress
from services.common.runtime import Runtime
from services.common.web import ApiError, parse_json, require_principal
from services.orders import views
from services.orders.addresses import shipping_address
from services.orders.addresses_api import AddressBody, refused_address
from services.orders.api_docs import (
    CALLS_SHOPS,
    CHECKOUT,
    MOVES_MONEY,
    CartOut,
    CartParams,
    MergedCartOut,
    OrderOut,
    OrdersOut,
    spec,
)
from services.orders.bootstrap import orders_settings
from services.orders.domain.order import Buyer
from services.orders.listings import ListingDirectory
from services.orders.payments.port import (
    Card,
    Payments,
)
from services.orders.use_cases import buyer_actions, extra_charges, guest_cart
from services.orders.use_cases import cart as cart_use_cases
from services.orders.use_cases.checkout import checkout, order_id_for_key

bp = Blueprint("orders", __name__)

LISTINGS_EXTENSION = "orders.listings"
PAYMENTS_EXTENSION = "orders.payments"


def Required(limit: int) -> StringConstraints:  # noqa: N802 - reads as a type
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=limit)


# A shop's service code ("express", the shop's own names) or "pickup".
ServiceCode = Annotated[str, Required(40), OneLine]

# A real ISO 3166 country: an order is never placed to a made-up one.
Country = Annotated[CountryCode, StringConstraints(min_length=2)]


class AddLineBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    listing_id: Annotated[str, Required(64), OneLine]
    quantity: int = Field(ge=1, le=999)


class CheckoutBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    idempotency_key: Annotated[str, Required(100), OneLine]
    # Where every part goes, checked for its country before anything is read or written;
    # its country is the one shipping is priced for.
    address: AddressBody
    # The full number is used once, to authorize, and never stored: only its last 4 digits.
    # Required: checked in _card so a missing number gets a message a person can act on.
    card_number: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), OneLine] | None
    ) = None
    # The total the buyer was shown, in minor units. When sent (the web shop always does),
    # checkout refuses with 409 if shipping or prices now make another total.
    expected_total: int | None = Field(default=None, ge=0, le=MAX_MINOR_UNITS)
    # The shipping service per shop id (a code the shop offers, or "pickup" to collect in
    # person), over what the buyer chose in the cart; the cheapest where none is named.
    delivery: dict[Id, ServiceCode] | None = Field(default=None, max_length=100)


class DeliveryChoiceBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shop_id: Id
    # Null goes back to the shop's cheapest service.
    service: ServiceCode | None = None


class CancelBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Why the buyer cancels, passed on to the shop.
    reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Multiline] | None
    ) = None


class CountryBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country: Country | None = None


def _runtime() -> Runtime:
    return current_app.extensions["runtime"]


def _listings() -> ListingDirectory:
    return current_app.extensions[LISTINGS_EXTENSION]


def _payments() -> Payments:
    return current_app.extensions[PAYMENTS_EXTENSION]


def _country_param() -> str | None:
    country = request.args.get("country", "").strip().upper()
    if country and not is_country(country):
        raise ApiError(
            422, "country must be a two-letter ISO code, e.g. GB", fields={"country": "invalid"}
        )
    return country or None


def _card(number: str | None) -> Card:
    if not number:
        raise ApiError(
            422,
            "a card number is required to pay: enter the card's number and check out again",
            fields={"card_number": "enter your card number"},
        )
    return Card.parse(number)


@bp.get("/cart")
@describe(spec, tag="cart", answer=CartOut, query=CartParams)
def get_cart() -> Response:
    principal = require_principal()
    country = _country_param()
    with _runtime().session_factory() as session:
        return jsonify(views.cart_view(session, principal.user_id, country=country))


@bp.put("/cart/country")
@describe(spec, tag="cart", answer=CartOut, body=CountryBody)
def put_cart_country() -> Response:
    principal = require_principal()
    body = parse_json(CountryBody)
    with _runtime().session_factory.begin() as session:
        cart_use_cases.set_cart_country(session, user_id=principal.user_id, country=body.country)
    with _runtime().session_factory() as session:
        return jsonify(views.cart_view(session, principal.user_id))


@bp.put("/cart/delivery")
@describe(spec, tag="cart", answer=CartOut, body=DeliveryChoiceBody)
def put_cart_delivery() -> Response:
    """The buyer chooses the service (or collection) for one shop's parcel."""
    principal = require_principal()
    body = parse_json(DeliveryChoiceBody)
    with _runtime().session_factory.begin() as session:
        cart_use_cases.set_delivery_choice(
            session, user_id=principal.user_id, shop_id=body.shop_id, service=body.service
        )
    with _runtime().session_factory() as session:
        return jsonify(views.cart_view(session, principal.user_id))


@bp.post("/cart/lines")
@describe(spec, tag="cart", ok=(201, 200), answer=CartOut, body=AddLineBody, errors=CALLS_SHOPS)
def add_cart_line() -> tuple[Response, int]:
    principal = require_principal()
    body = parse_json(AddLineBody)
    created = cart_use_cases.add_to_cart(
        _runtime().session_factory,
        _listings(),
        user_id=principal.user_id,
        listing_id=body.listing_id,
        quantity=body.quantity,
    )
    with _runtime().session_factory() as session:
        return jsonify(views.cart_view(session, principal.user_id)), 201 if created else 200


@bp.delete("/cart/lines/<listing_id>")
@describe(spec, tag="cart", answer=CartOut)
def remove_cart_line(listing_id: str) -> Response:
    principal = require_principal()
    with _runtime().session_factory.begin() as session:
        cart_use_cases.remove_from_cart(session, user_id=principal.user_id, listing_id=listing_id)
    with _runtime().session_factory() as session:
        return jsonify(views.cart_view(session, principal.user_id))


class MergeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # The guest id the gateway kept while the person was signed out (`guest:...`).
    guest_cart: Id


@bp.post("/cart/merge")
@describe(spec, tag="cart", answer=MergedCartOut, body=MergeBody)
def merge_cart() -> Response:
    """The guest cart the gateway names joins the signed-in buyer's cart."""
    principal = require_principal()
    body = parse_json(MergeBody)
    with _runtime().session_factory.begin() as session:
        try:
            merged = guest_cart.merge_guest_cart(
                session, guest_id=body.guest_cart, user_id=principal.user_id
            )
        except guest_cart.NotAGuestCart as error:
            raise ApiError(422, str(error), fields={"guest_cart": str(error)}) from error
    with _runtime().session_factory() as session:
        cart = views.cart_view(session, principal.user_id)
    return jsonify(cart | {"merged": merged.moved, "left_out": merged.left_out})


@bp.post("/checkout")
@describe(spec, tag="checkout", ok=(201, 200), answer=OrderOut, body=CheckoutBody, errors=CHECKOUT)
def post_checkout() -> tuple[Response, int]:
    principal = require_principal()
    body = parse_json(CheckoutBody)
    try:
        address = shipping_address(body.address.fields())
    except InvalidPostalAddress as error:
        # A key that already placed an order returns it, whatever the rest of the body.
        with reading(_runtime().session_factory) as session:
            placed = order_id_for_key(session, principal.user_id, body.idempotency_key)
            if placed is not None:
                return jsonify(
                    views.buyer_order(session, user_id=principal.user_id, order_id=placed)
                ), 200
        raise refused_address(error, prefix="address.") from error
    settings = orders_settings(_runtime())
    result = checkout(
        _runtime().session_factory,
        _listings(),
        payments=_payments(),
        buyer=Buyer(user_id=principal.user_id, name=principal.name),
        idempotency_key=body.idempotency_key,
        shipping_address=address,
        card=_card(body.card_number),
        expected_total=body.expected_total,
        commission_bps=settings.commission_bps,
        provider_name=settings.payment_provider,
        delivery=body.delivery,
    )
    if result.written is not None:
        return jsonify(views.placed_order_view(result.written)), 201
    with reading(_runtime().session_factory) as session:
        order = views.buyer_order(session, user_id=principal.user_id, order_id=result.order_id)
    return jsonify(order), 200


@bp.get("/orders")
@describe(spec, tag="orders", answer=OrdersOut)
def list_orders() -> Response:
    principal = require_principal()
    with reading(_runtime().session_factory) as session:
        return jsonify(views.buyer_orders(session, user_id=principal.user_id))


@bp.get("/orders/<order_id>")
@describe(spec, tag="orders", answer=OrderOut)
def get_order(order_id: str) -> Response:
    principal = require_principal()
    with reading(_runtime().session_factory) as session:
        return jsonify(views.buyer_order(session, user_id=principal.user_id, order_id=order_id))


@bp.post("/orders/<order_id>/parts/<part_id>/cancel")
@describe(spec, tag="orders", ok=202, answer=OrderOut, body=CancelBody)
def cancel_part(order_id: str, part_id: str) -> tuple[Response, int]:
    """The buyer asks to cancel: 202, the shop side decides and the part follows its answer."""
    principal = require_principal()
    # The body is optional: a request without one gives no reason.
    body = parse_json(CancelBody) if request.get_data() else CancelBody()
    with _runtime().session_factory.begin() as session:
        buyer_actions.cancel_part(
            session,
            user_id=principal.user_id,
            order_id=order_id,
            part_id=part_id,
            now=utcnow(),
            reason=body.reason or "",
        )
    return get_order(order_id), 202


@bp.post("/orders/<order_id>/parts/<part_id>/received")
@describe(spec, tag="orders", answer=OrderOut)
def mark_part_received(order_id: str, part_id: str) -> Response:
    principal = require_principal()
    with _runtime().session_factory.begin() as session:
        buyer_actions.mark_received(
            session, user_id=principal.user_id, order_id=order_id, part_id=part_id, now=utcnow()
        )
    return get_order(order_id)


@bp.post("/orders/<order_id>/parts/<part_id>/extra-charge/accept")
@describe(spec, tag="orders", answer=OrderOut, errors=MOVES_MONEY)
def accept_extra_charge(order_id: str, part_id: str) -> Response:
    """The buyer agrees to the shop's extra charge: it is held on the order's card."""
    return _settle_part(extra_charges.accept, order_id, part_id)


@bp.post("/orders/<order_id>/parts/<part_id>/extra-charge/refuse")
@describe(spec, tag="orders", answer=OrderOut, errors=MOVES_MONEY)
def refuse_extra_charge(order_id: str, part_id: str) -> Response:
    """The buyer says no: the part is cancelled and its money released."""
    return _settle_part(extra_charges.refuse, order_id, part_id)


def _settle_part(action: Callable[..., object], order_id: str, part_id: str) -> Response:
    """A buyer's action on one part that moves its money; answers with the whole order."""
    principal = require_principal()
    with _runtime().session_factory.begin() as session:
        action(
            session,
            _payments()(session),
            user_id=principal.user_id,
            order_id=order_id,
            part_id=part_id,
            now=utcnow(),
        )
    return get_order(order_id)
