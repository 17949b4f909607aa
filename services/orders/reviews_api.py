"""HTTP entry points for reviews (docs/api.md, "reviews").

Posting needs the buyer's token and answering a shop member's; anyone else gets 404, as if
the order or the review did not exist. A shop's reviews and reputation are public.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.common.clock import utcnow
from services.common.db import reading
from services.common.inputs import Text, WholeNumber
from services.common.openapi import describe
from services.common.runtime import Runtime
from services.common.web import invalid_input, parse_json, require_principal
from services.orders import membership, review_views
from services.orders.api_docs import (
    OrderReviewsOut,
    OwnReviewOut,
    ReputationOut,
    ReviewOut,
    ShopReviewsOut,
    spec,
)
from services.orders.use_cases import reviews

bp = Blueprint("reviews", __name__)

MAX_PER_PAGE = 50


class ReviewBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Checked by the domain (a number of stars, then the text), so they read the same
    # everywhere; bounded here so no number overflows on the way.
    rating: WholeNumber
    text: Text


class AnswerBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Text


class ReviewPageParams(BaseModel):
    model_config = ConfigDict(extra="ignore")

    page: int = Field(default=1, ge=1, le=10_000)
    per_page: int = Field(default=10, ge=1, le=MAX_PER_PAGE)
    unanswered: bool = False


def _runtime() -> Runtime:
    return current_app.extensions["runtime"]


@bp.post("/orders/<order_id>/parts/<part_id>/review")
@describe(spec, tag="reviews", ok=201, answer=OwnReviewOut, body=ReviewBody)
def post_review(order_id: str, part_id: str) -> tuple[Response, int]:
    principal = require_principal()
    body = parse_json(ReviewBody)
    with _runtime().session_factory.begin() as session:
        review = reviews.post_review(
            session,
            user_id=principal.user_id,
            reviewer_name=principal.name,
            order_id=order_id,
            part_id=part_id,
            rating=body.rating,
            text=body.text,
            now=utcnow(),
        )
        return jsonify(review_views.own_review(review)), 201


@bp.get("/orders/<order_id>/reviews")
@describe(spec, tag="reviews", answer=OrderReviewsOut)
def order_reviews(order_id: str) -> Response:
    principal = require_principal()
    with _runtime().session_factory() as session:
        return jsonify(
            review_views.order_reviews(session, user_id=principal.user_id, order_id=order_id)
        )


@bp.get("/shops/<shop_id>/reviews")
@describe(spec, tag="reviews", answer=ShopReviewsOut, query=ReviewPageParams)
def shop_reviews(shop_id: str) -> Response:
    try:
        params = ReviewPageParams.model_validate(request.args.to_dict())
    except ValidationError as error:
        raise invalid_input(error, what="page", whole="query") from error
    with _runtime().session_factory() as session:
        return jsonify(
            review_views.shop_reviews(
                session,
                shop_id,
                page=params.page,
                per_page=params.per_page,
                unanswered=params.unanswered,
                now=utcnow(),
            )
        )


@bp.get("/shops/<shop_id>/reputation")
@describe(spec, tag="reviews", answer=ReputationOut)
def shop_reputation(shop_id: str) -> Response:
    with _runtime().session_factory() as session:
        return jsonify(review_views.shop_reputation(session, shop_id, now=utcnow()))


@bp.post("/shops/<shop_id>/reviews/<review_id>/answer")
@describe(spec, tag="reviews", answer=ReviewOut, body=AnswerBody)
def answer_review(shop_id: str, review_id: str) -> Response:
    principal = require_principal()
    with reading(_runtime().session_factory) as session:
        if not membership.is_member(session, principal, shop_id):
            abort(404, "no such review of your shop")
    body = parse_json(AnswerBody)
    with _runtime().session_factory.begin() as session:
        review = reviews.answer_review(
            session,
            shop_id=shop_id,
            review_id=review_id,
            user_id=principal.user_id,
            text=body.text,
            now=utcnow(),
        )
        return jsonify(review_views.public_review(review))
