"""A shop's webhook endpoints and their deliveries, for its owner in the seller portal."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from pydantic import Field

from services.common.inputs import Line
from services.common.openapi import describe
from services.common.public_http import AddressRule, ForbiddenAddress, check_host
from services.common.web import ApiError, parse_json, require_principal
from services.shops.api.common import Body, runtime, transaction
from services.shops.api.docs import DeliveriesOut, DeliveryOut, EndpointOut, EndpointsOut, spec
from services.shops.config import Settings
from services.shops.db import WebhookDelivery, WebhookEndpoint
from services.shops.handlers.shops import owner_shop
from services.shops.views import iso_time
from services.shops.webhooks import store
from services.shops.webhooks.rules import check_endpoint

# Only the owner: staff get 403, strangers 404.
ERRORS = (400, 401, 403, 404, 422)
# More than anyone picks from the short list of choices; the domain names the unknown ones.
MAX_EVENTS = 100
blueprint = Blueprint("webhooks", __name__)


class EndpointIn(Body):
    url: Line | None = None
    events: list[Line] | None = Field(default=None, max_length=MAX_EVENTS)


def endpoint_json(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "events": endpoint.events,
        "secret": endpoint.secret,
        "created_at": iso_time(endpoint.created_at),
        "failing_since": iso_time(endpoint.failing_since),
        "disabled_at": iso_time(endpoint.disabled_at),
        "disabled_reason": endpoint.disabled_reason,
    }


def delivery_json(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "event_type": delivery.event_type,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "next_attempt_at": iso_time(delivery.next_attempt_at),
        "created_at": iso_time(delivery.created_at),
        "delivered_at": iso_time(delivery.delivered_at),
    }


def _allow_local() -> bool:
    settings = runtime().settings
    return isinstance(settings, Settings) and settings.webhook_allow_local


@blueprint.get("/shops/<shop_id>/webhooks")
@describe(spec, tag="webhooks", answer=EndpointsOut, errors=ERRORS)
def endpoints(shop_id: str) -> Response:
    principal = require_principal()
    with transaction(read_only=True) as session:
        shop = owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        found = store.endpoints_of(session, shop=shop)
        return jsonify(endpoints=[endpoint_json(endpoint) for endpoint in found])


@blueprint.post("/shops/<shop_id>/webhooks")
@describe(spec, tag="webhooks", ok=201, answer=EndpointOut, body=EndpointIn, errors=ERRORS)
def add_endpoint(shop_id: str) -> tuple[Response, int]:
    principal = require_principal()
    with transaction(read_only=True) as session:
        owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        draft = check_endpoint(**parse_json(EndpointIn).model_dump(), allow_http=_allow_local())
    # The name is looked up outside any transaction: DNS may take seconds, and a writing
    # transaction would hold the shop's database meanwhile.
    try:
        check_host(draft.host, AddressRule(allow_loopback=_allow_local()))
    except ForbiddenAddress as error:
        message = f"{error}: webhooks go to public addresses only"
        raise ApiError(422, message, fields={"url": message}) from error
    with transaction() as session:
        shop = owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        endpoint = store.add_endpoint(session, shop=shop, draft=draft)
        return jsonify(endpoint_json(endpoint)), 201


@blueprint.delete("/shops/<shop_id>/webhooks/<endpoint_id>")
@describe(spec, tag="webhooks", ok=204, errors=ERRORS)
def remove_endpoint(shop_id: str, endpoint_id: str) -> tuple[str, int]:
    principal = require_principal()
    with transaction() as session:
        shop = owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        store.remove_endpoint(session, shop=shop, endpoint_id=endpoint_id)
        return "", 204


@blueprint.post("/shops/<shop_id>/webhooks/<endpoint_id>/enable")
@describe(spec, tag="webhooks", answer=EndpointOut, errors=ERRORS)
def enable_endpoint(shop_id: str, endpoint_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        endpoint = store.enable_endpoint(session, shop=shop, endpoint_id=endpoint_id)
        return jsonify(endpoint_json(endpoint))


@blueprint.get("/shops/<shop_id>/webhooks/<endpoint_id>/deliveries")
@describe(spec, tag="webhooks", answer=DeliveriesOut, errors=ERRORS)
def deliveries(shop_id: str, endpoint_id: str) -> Response:
    principal = require_principal()
    with transaction(read_only=True) as session:
        shop = owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        endpoint = store.own_endpoint(session, shop=shop, endpoint_id=endpoint_id)
        found = store.deliveries_of(session, endpoint=endpoint)
        return jsonify(deliveries=[delivery_json(delivery) for delivery in found])


@blueprint.post("/shops/<shop_id>/webhooks/deliveries/<delivery_id>/resend")
@describe(spec, tag="webhooks", answer=DeliveryOut, errors=ERRORS)
def resend(shop_id: str, delivery_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = owner_shop(session, shop_id=shop_id, user_id=principal.user_id)
        return jsonify(delivery_json(store.resend(session, shop=shop, delivery_id=delivery_id)))
