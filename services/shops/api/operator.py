"""The platform operator's routes in the shops service: find a shop, suspend it with a
reason its members read, reinstate it; and the record of what operators did here.

Only the operator's own token opens them (services/common/web.py): a shop's member, a
shopper or a stranger gets 404. An operator's token is no person's: it opens no shop's
listings, orders or customer book. Suspending bumps the shop's revision and announces
`shop.updated` (suspended) in the same transaction, so the catalog takes its listings out
of search; the shops service itself then marks its listings not purchasable, so checkout
refuses them, and declines at once any order that still slips through.
"""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, StringConstraints
from sqlalchemy import func, or_, select

from services.common.clock import utcnow
from services.common.contracts import ShopSuspensionChanged
from services.common.inputs import Multiline
from services.common.messaging.tables import add_to_outbox
from services.common.openapi import describe
from services.common.operator_audit import actions_json, record_action
from services.common.web import ApiError, parse_json, require_operator
from services.shops.api.common import Body, transaction
from services.shops.api.docs import OPERATOR_ONLY, AuditOut, OperatorShopOut, OperatorShopsOut, spec
from services.shops.db import OperatorAction, OutboxMessage, Shop
from services.shops.events import shop_updated
from services.shops.views import iso_time

blueprint = Blueprint("operator", __name__)

Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), Multiline
]


class ReasonIn(Body):
    reason: Reason


class ShopSearch(BaseModel):
    # Part of a shop's name or slug; only its first 200 characters are looked for.
    q: str = ""


def _shop_json(shop: Shop) -> dict[str, object]:
    return {
        "id": shop.id,
        "name": shop.name,
        "slug": shop.slug,
        "country": shop.country,
        "created_at": iso_time(shop.created_at),
        "suspended": shop.suspended_at is not None,
        "suspended_at": iso_time(shop.suspended_at) if shop.suspended_at else None,
        "suspension_reason": shop.suspension_reason,
    }


@blueprint.get("/operator/shops")
@describe(spec, tag="operator", answer=OperatorShopsOut, query=ShopSearch, errors=OPERATOR_ONLY)
def shops() -> Response:
    """Shops by name or slug (`q`), the suspended ones first."""
    require_operator()
    words = request.args.get("q", "").strip()[:200]
    query = select(Shop)
    if words:
        pattern = f"%{words.lower()}%"
        query = query.where(
            or_(func.lower(Shop.name).like(pattern), func.lower(Shop.slug).like(pattern))
        )
    query = query.order_by(Shop.suspended_at.is_(None), Shop.name).limit(100)
    with transaction(read_only=True) as session:
        return jsonify(shops=[_shop_json(shop) for shop in session.scalars(query)])


def _change(shop_id: str, *, suspend: bool) -> Response:
    operator = require_operator()
    body = parse_json(ReasonIn)
    now = utcnow()
    with transaction() as session:
        shop = session.get(Shop, shop_id, with_for_update=True)
        if shop is None:
            raise ApiError(404, "no such shop")
        if (shop.suspended_at is not None) == suspend:
            # Already so: a retried request changes nothing and records nothing twice.
            return jsonify(_shop_json(shop))
        shop.suspended_at = now if suspend else None
        shop.suspension_reason = body.reason if suspend else None
        shop.revision += 1
        session.flush()
        add_to_outbox(session, OutboxMessage, shop_updated(shop))
        add_to_outbox(
            session,
            OutboxMessage,
            ShopSuspensionChanged(shop_id=shop.id, suspended=suspend, reason=body.reason),
        )
        record_action(
            session,
            OperatorAction,
            operator,
            action="shop.suspend" if suspend else "shop.reinstate",
            subject=shop.id,
            reason=body.reason,
            at=now,
        )
        return jsonify(_shop_json(shop))


@blueprint.post("/operator/shops/<shop_id>/suspend")
@describe(spec, tag="operator", answer=OperatorShopOut, body=ReasonIn, errors=OPERATOR_ONLY)
def suspend(shop_id: str) -> Response:
    return _change(shop_id, suspend=True)


@blueprint.post("/operator/shops/<shop_id>/reinstate")
@describe(spec, tag="operator", answer=OperatorShopOut, body=ReasonIn, errors=OPERATOR_ONLY)
def reinstate(shop_id: str) -> Response:
    return _change(shop_id, suspend=False)


@blueprint.get("/operator/audit")
@describe(spec, tag="operator", answer=AuditOut, errors=OPERATOR_ONLY)
def audit() -> Response:
    require_operator()
    with transaction(read_only=True) as session:
        return jsonify(actions=actions_json(session, OperatorAction, service="shops"))


def suspension_json(shop: Shop) -> dict[str, object] | None:
    """What a shop's members read about its suspension, or None."""
    if shop.suspended_at is None:
        return None
    return {"at": iso_time(shop.suspended_at), "reason": shop.suspension_reason or ""}
