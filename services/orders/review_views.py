"""Read side of reviews: a shop's public reviews and reputation, a buyer's own reviews.

What anyone may see of a review is its id, the reviewer's display name, the rating, the
texts and the dates; never the buyer's id, the order or the part.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.clock import as_utc
from services.orders import db
from services.orders.domain.review import Reputation
from services.orders.use_cases.errors import OrderNotFound
from services.orders.use_cases.reviews import reputation_of

Json = dict[str, Any]


def public_review(review: db.Review) -> Json:
    answer = None
    if review.answer is not None and review.answered_at is not None:
        answer = {"text": review.answer, "answered_at": as_utc(review.answered_at).isoformat()}
    return {
        "id": review.id,
        "reviewer_name": review.reviewer_name,
        "rating": review.rating,
        "text": review.text,
        "posted_at": as_utc(review.posted_at).isoformat(),
        "answer": answer,
    }


def own_review(review: db.Review) -> Json:
    """A review as its buyer sees it: which part and shop it is about, too."""
    return {
        **public_review(review),
        "shop_order_id": review.shop_order_id,
        "shop_id": review.shop_id,
    }


def reputation_json(shop_id: str, reputation: Reputation) -> Json:
    return {
        "shop_id": shop_id,
        "average": reputation.average,
        "count": reputation.count,
        "positive_share": reputation.positive_share,
        "recent_count": reputation.recent_count,
        "revision": reputation.revision,
    }


def shop_reputation(session: Session, shop_id: str, *, now: datetime) -> Json:
    return reputation_json(shop_id, reputation_of(session, shop_id, now=now))


def shop_reviews(
    session: Session,
    shop_id: str,
    *,
    page: int,
    per_page: int,
    unanswered: bool = False,
    now: datetime,
) -> Json:
    """One page of a shop's reviews, newest first, with the shop's reputation."""
    # A review the platform hid is nobody's to read any more.
    where = [db.Review.shop_id == shop_id, db.Review.hidden_at.is_(None)]
    if unanswered:
        where.append(db.Review.answer.is_(None))
    total = session.scalar(select(func.count(db.Review.id)).where(*where)) or 0
    reviews = session.scalars(
        select(db.Review)
        .where(*where)
        .order_by(db.Review.posted_at.desc(), db.Review.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return {
        "shop_id": shop_id,
        "reviews": [public_review(review) for review in reviews],
        "total": total,
        "page": page,
        "per_page": per_page,
        "reputation": shop_reputation(session, shop_id, now=now),
    }


def order_reviews(session: Session, *, user_id: str, order_id: str) -> Json:
    """The buyer's reviews of the parts of one of their orders."""
    order = session.get(db.Order, order_id)
    if order is None or order.buyer_user_id != user_id:
        raise OrderNotFound("no such order among yours")
    part_ids = [part.id for part in order.parts]
    reviews = session.scalars(
        select(db.Review).where(db.Review.shop_order_id.in_(part_ids)).order_by(db.Review.posted_at)
    )
    return {"order_id": order_id, "reviews": [own_review(review) for review in reviews]}
