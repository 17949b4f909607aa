"""HTTP entry point: how many of the people a shopper follows bought from some shops.

The gateway is the only holder of who follows whom, and sends only the people who accepted
the caller as a follower (docs/api.md, "buyers among the people you follow"). The answer
holds ids and the public reviews those people wrote of each shop; names stay with the gateway.
"""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, Response, current_app, jsonify
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.common.inputs import OneLine
from services.common.openapi import describe
from services.common.runtime import Runtime
from services.common.web import parse_json, require_service_caller
from services.orders import buyers
from services.orders.api_docs import SERVICES_ONLY, BuyersAmongOut, spec

bp = Blueprint("buyers", __name__)

MAX_SHOPS = 50
MAX_USERS = 500

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), OneLine]


class BuyersAmongBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shop_ids: list[Id] = Field(max_length=MAX_SHOPS)
    user_ids: list[Id] = Field(max_length=MAX_USERS)


def _runtime() -> Runtime:
    return current_app.extensions["runtime"]


@bp.post("/buyers-among")
@describe(spec, tag="buyers", answer=BuyersAmongOut, body=BuyersAmongBody, errors=SERVICES_ONLY)
def buyers_among() -> Response:
    # Who bought where is nobody's business but the gateway's, which asks only about people
    # who accepted the person asking as a follower.
    require_service_caller("gateway")
    body = parse_json(BuyersAmongBody)
    shop_ids, user_ids = set(body.shop_ids), set(body.user_ids)
    with _runtime().session_factory() as session:
        found = buyers.buyers_among(session, shop_ids=shop_ids, user_ids=user_ids)
        reviews = buyers.reviews_among(session, shop_ids=shop_ids, user_ids=user_ids)
    return jsonify(
        shops={
            shop_id: {"count": len(ids), "user_ids": ids, "reviews": reviews[shop_id]}
            for shop_id, ids in found.items()
        }
    )
