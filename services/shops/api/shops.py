"""Shops: open one, read it, change its settings, add and remove staff."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from pydantic import StrictBool

from services.common.inputs import CountryCode, CurrencyCode, Id, Line, Text, WholeNumber
from services.common.openapi import describe
from services.common.web import ApiError, parse_json, require_principal, require_service_caller
from services.shops.api.common import Body, PriceIn, transaction
from services.shops.api.docs import MemberOut, MembersOut, ShopOut, ShopsOut, spec
from services.shops.api.operator import suspension_json
from services.shops.db import Shop
from services.shops.domain import check_shop
from services.shops.handlers import shops as handlers
from services.shops.views import member_json, shop_json

# Refusals as docs/api.md says; 403 where only the owner may.
ERRORS = (400, 401, 403, 404, 409, 422)
blueprint = Blueprint("shops", __name__)


class ShopIn(Body):
    name: Line
    signature: Text
    about: Text | None = None
    country: CountryCode | None = None
    currency: CurrencyCode | None = None


class PoliciesIn(Body):
    returns: Text | None = None
    shipping_times: Text | None = None


class ShippingIn(Body):
    domestic_first: PriceIn | None = None
    domestic_additional: PriceIn | None = None
    international_first: PriceIn | None = None
    international_additional: PriceIn | None = None
    # Null takes the offer away.
    free_over: PriceIn | None = None


class LocationIn(Body):
    # Null clears it: the shop is then found by no distance search.
    town: Line | None = None
    postal_code: Line | None = None


class OrderHandlingIn(Body):
    mode: Line | None = None
    response_hours: WholeNumber | None = None


class ShopPatch(Body):
    name: Line | None = None
    signature: Text | None = None
    about: Text | None = None
    country: CountryCode | None = None
    currency: CurrencyCode | None = None
    policies: PoliciesIn | None = None
    shipping: ShippingIn | None = None
    # The whole profile (regions, services, countries not shipped to, collection), as
    # services/common/shipping.py stores it; checked by the shop's domain.
    shipping_profile: dict[str, Any] | None = None
    location: LocationIn | None = None
    order_handling: OrderHandlingIn | None = None
    on_vacation: StrictBool | None = None


class MemberIn(Body):
    user_id: Id
    role: Line = "staff"


class InvitedMemberIn(Body):
    user_id: Id
    role: Line = "staff"
    # The owner who sent the invitation: still an owner when it is accepted, or nothing.
    invited_by: Id


@blueprint.post("/shops")
@describe(spec, tag="shops", ok=201, answer=ShopOut, body=ShopIn, errors=ERRORS)
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
@describe(spec, tag="shops", answer=ShopsOut, errors=ERRORS)
def my_shops() -> Response:
    principal = require_principal()
    with transaction() as session:
        shops = handlers.shops_of(session, user_id=principal.user_id)
        # A member reads why the platform suspended the shop, if it did.
        return jsonify(
            shops=[shop_json(shop) | {"suspension": suspension_json(shop)} for shop in shops]
        )


@blueprint.get("/shops/<shop_id>")
@describe(spec, tag="shops", answer=ShopOut, errors=ERRORS)
def shop_profile(shop_id: str) -> Response:
    with transaction() as session:
        return jsonify(shop_json(handlers.public_shop(session, shop_id=shop_id)))


@blueprint.patch("/shops/<shop_id>")
@describe(spec, tag="shops", answer=ShopOut, body=ShopPatch, errors=ERRORS)
def change_shop(shop_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = handlers.owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        changes = _settings_changes(parse_json(ShopPatch), shop)
        return jsonify(shop_json(handlers.change_shop(session, shop=shop, changes=changes)))


def _settings_changes(body: ShopPatch, shop: Shop) -> dict[str, Any]:
    """The PATCH body as ShopSettings fields; only what the owner actually sent."""
    sent = body.model_dump(exclude_unset=True)
    # A null text clears it; the checks then say whether that field may be empty.
    changes: dict[str, Any] = {
        name: sent[name]
        for name in ("name", "signature", "about", "country", "currency")
        if name in sent
    }
    if sent.get("on_vacation") is not None:
        changes["on_vacation"] = sent["on_vacation"]
    policies = sent.get("policies") or {}
    for api_name, field in (("returns", "returns_policy"), ("shipping_times", "shipping_policy")):
        if api_name in policies:
            changes[field] = policies[api_name] or ""
    handling = sent.get("order_handling") or {}
    if handling.get("mode") is not None:
        changes["order_handling"] = handling["mode"]
    if handling.get("response_hours") is not None:
        changes["response_hours"] = handling["response_hours"]
    if sent.get("shipping_profile") is not None:
        changes["shipping_profile"] = sent["shipping_profile"]
    location = sent.get("location") or {}
    for name in ("town", "postal_code"):
        if name in location:
            changes[name] = location[name]
    currency = (changes.get("currency") or shop.currency).upper()
    for rate, price in (sent.get("shipping") or {}).items():
        if price is None:
            if rate == "free_over":
                changes["ship_free_over"] = None
            continue
        if price.get("currency") and price["currency"].upper() != currency:
            raise ApiError(
                422,
                f"shipping rates are in the shop's currency ({currency})",
                fields={f"shipping.{rate}.currency": f"use {currency}"},
            )
        changes[f"ship_{rate}"] = price["amount"]
    return changes


@blueprint.get("/shops/<shop_id>/members")
@describe(spec, tag="members", answer=MembersOut, errors=ERRORS)
def shop_members(shop_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = handlers.member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        return jsonify(members=[member_json(m) for m in handlers.members(session, shop=shop)])


@blueprint.post("/shops/<shop_id>/members")
@describe(spec, tag="members", ok=201, answer=MemberOut, body=MemberIn, errors=ERRORS)
def add_member(shop_id: str) -> tuple[Response, int]:
    principal = require_principal()
    with transaction() as session:
        shop = handlers.owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        body = parse_json(MemberIn)
        member = handlers.add_member(session, shop=shop, user_id=body.user_id, role=body.role)
        return jsonify(member_json(member)), 201


@blueprint.post("/shops/<shop_id>/members/invited")
@describe(spec, tag="members", ok=201, answer=MemberOut, body=InvitedMemberIn, errors=ERRORS)
def add_invited_member(shop_id: str) -> tuple[Response, int]:
    """Someone accepted an owner's invitation. Only the gateway, which holds the accounts,
    their addresses and the invitations, says so, calling as itself."""
    require_service_caller("gateway")
    body = parse_json(InvitedMemberIn)
    with transaction() as session:
        shop = handlers.owner_shop(session, shop_id=shop_id, user_id=body.invited_by)
        member = handlers.add_member(session, shop=shop, user_id=body.user_id, role=body.role)
        return jsonify(member_json(member)), 201


@blueprint.delete("/shops/<shop_id>/members/<user_id>")
@describe(spec, tag="members", ok=204, errors=ERRORS)
def remove_member(shop_id: str, user_id: str) -> tuple[str, int]:
    principal = require_principal()
    with transaction() as session:
        shop = handlers.owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        handlers.remove_member(session, shop=shop, user_id=user_id)
        return "", 204
