"""A shop's webhook endpoints and their deliveries in the database."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.shops.db import Shop, WebhookDelivery, WebhookEndpoint
from services.shops.domain import NotFound
from services.shops.webhooks.rules import EndpointDraft, new_secret

DELIVERIES_SHOWN = 100


def add_endpoint(session: Session, *, shop: Shop, draft: EndpointDraft) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(
        shop_id=shop.id,
        url=draft.url,
        events=list(draft.events),
        secret=new_secret(),
        created_at=utcnow(),
    )
    session.add(endpoint)
    session.flush()
    return endpoint


def endpoints_of(session: Session, *, shop: Shop) -> list[WebhookEndpoint]:
    query = (
        select(WebhookEndpoint)
        .where(WebhookEndpoint.shop_id == shop.id)
        .order_by(WebhookEndpoint.created_at)
    )
    return list(session.scalars(query))


def own_endpoint(session: Session, *, shop: Shop, endpoint_id: str) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.shop_id != shop.id:
        raise NotFound("no such webhook endpoint in this shop")
    return endpoint


def remove_endpoint(session: Session, *, shop: Shop, endpoint_id: str) -> None:
    endpoint = own_endpoint(session, shop=shop, endpoint_id=endpoint_id)
    session.query(WebhookDelivery).filter(WebhookDelivery.endpoint_id == endpoint.id).delete()
    session.delete(endpoint)


def enable_endpoint(session: Session, *, shop: Shop, endpoint_id: str) -> WebhookEndpoint:
    """The owner switches a switched-off endpoint back on, once their receiver is fixed."""
    endpoint = own_endpoint(session, shop=shop, endpoint_id=endpoint_id)
    endpoint.disabled_at = None
    endpoint.disabled_reason = None
    endpoint.failing_since = None
    return endpoint


def deliveries_of(session: Session, *, endpoint: WebhookEndpoint) -> list[WebhookDelivery]:
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.created_at.desc())
        .limit(DELIVERIES_SHOWN)
    )
    return list(session.scalars(query))


def resend(session: Session, *, shop: Shop, delivery_id: str) -> WebhookDelivery:
    """Send a delivery again by hand, whatever became of it: the receiver dedupes by id."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.shop_id != shop.id:
        raise NotFound("no such delivery in this shop")
    delivery.status = "pending"
    delivery.next_attempt_at = utcnow()
    delivery.locked_until = None
    return delivery


def queue_event(session: Session, *, shop_id: str, event_type: str, data: dict[str, Any]) -> int:
    """One delivery per endpoint of the shop that wants `event_type`, in the caller's
    transaction: the event's effect and its deliveries are committed together or not at all.
    """
    endpoints = session.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.shop_id == shop_id, WebhookEndpoint.disabled_at.is_(None)
        )
    ).all()
    wanting = [endpoint for endpoint in endpoints if event_type in endpoint.events]
    if not wanting:
        return 0
    now = utcnow()
    for endpoint in wanting:
        event_id = str(uuid.uuid4())
        body = json.dumps(
            {"id": event_id, "type": event_type, "created_at": now.isoformat(), "data": data},
            separators=(",", ":"),
            default=str,
        )
        session.add(
            WebhookDelivery(
                id=event_id,
                endpoint_id=endpoint.id,
                shop_id=shop_id,
                event_type=event_type,
                body=body,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
    return len(wanting)
