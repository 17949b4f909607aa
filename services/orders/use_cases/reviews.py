"""Posting a review of a shop, the shop's answer, and the shop's reputation.

A review and its `review.posted` event are written in one transaction. The buyer's part is
locked first (a second request for the same part waits, then finds the first review), then
the shop's tally row, so two reviews of one shop are counted one after the other and each
event carries its own revision.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.contracts import Reputation as ReputationSnapshot
from services.common.contracts import ReviewHidden, ReviewPosted
from services.common.messaging.tables import add_to_outbox
from services.orders import db
from services.orders.domain.order import PartStatus
from services.orders.domain.review import (
    POSITIVE_RATING,
    Reputation,
    ReviewNotFound,
    Tally,
    checked_review,
    checked_text,
    ensure_reviewable,
    ensure_unanswered,
    recent_since,
)
from services.orders.use_cases.buyer_actions import buyer_part


def post_review(
    session: Session,
    *,
    user_id: str,
    reviewer_name: str,
    order_id: str,
    part_id: str,
    rating: object,
    text: object,
    now: datetime,
) -> db.Review:
    """The buyer's one review of the shop for one shipped part; OrderNotFound for others."""
    part = buyer_part(session, user_id=user_id, order_id=order_id, part_id=part_id)
    stars, words = checked_review(rating=rating, text=text)
    existing = session.scalar(select(db.Review.id).where(db.Review.shop_order_id == part.id))
    ensure_reviewable(PartStatus(part.status), already_reviewed=existing is not None)
    tally = _locked_tally(session, part.shop_id)
    tally.reviews += 1
    review = db.Review(
        id=str(uuid.uuid4()),
        shop_order_id=part.id,
        shop_id=part.shop_id,
        buyer_user_id=user_id,
        reviewer_name=(reviewer_name.strip() or "A buyer")[:200],
        rating=stars,
        text=words,
        posted_at=now,
    )
    session.add(review)
    session.flush()
    reputation = reputation_of(session, part.shop_id, now=now, changes=tally.reviews)
    add_to_outbox(
        session,
        db.OutboxMessage,
        ReviewPosted(
            review_id=review.id,
            shop_id=review.shop_id,
            shop_order_id=review.shop_order_id,
            rating=review.rating,
            text=review.text,
            reputation=_snapshot(reputation),
        ),
    )
    return review


def hide_review(session: Session, review: db.Review, *, reason: str, now: datetime) -> None:
    """Take a review out of the shop's public list and reputation (the operator's decision),
    and tell the catalog the reputation as it is without it. Hiding twice changes nothing."""
    if review.hidden_at is not None:
        return
    tally = _locked_tally(session, review.shop_id)
    tally.reviews += 1
    review.hidden_at = now
    review.hidden_reason = reason
    session.flush()
    reputation = reputation_of(session, review.shop_id, now=now, changes=tally.reviews)
    add_to_outbox(
        session,
        db.OutboxMessage,
        ReviewHidden(review_id=review.id, shop_id=review.shop_id, reputation=_snapshot(reputation)),
    )


def _snapshot(reputation: Reputation) -> ReputationSnapshot:
    return ReputationSnapshot(
        average=reputation.average,
        count=reputation.count,
        positive_share=reputation.positive_share,
        revision=reputation.revision,
    )


def answer_review(
    session: Session, *, shop_id: str, review_id: str, user_id: str, text: object, now: datetime
) -> db.Review:
    """The shop's one public answer; the caller has checked the user is a member."""
    answer = checked_text(text)
    review = session.scalars(
        select(db.Review)
        .where(db.Review.id == review_id, db.Review.shop_id == shop_id)
        .with_for_update()
    ).first()
    if review is None:
        raise ReviewNotFound("no such review of your shop")
    ensure_unanswered(review.answer is not None)
    review.answer = answer
    review.answered_by = user_id
    review.answered_at = now
    return review


def reputation_of(
    session: Session, shop_id: str, *, now: datetime, changes: int | None = None
) -> Reputation:
    """The shop's reputation from its visible reviews; `changes` is its tally's count of
    reviews posted and hidden (read here when not given), the snapshot's revision."""
    if changes is None:
        changes = session.scalar(
            select(db.ShopReviewTally.reviews).where(db.ShopReviewTally.shop_id == shop_id)
        )
    recent = db.Review.posted_at >= recent_since(now)
    row = session.execute(
        select(
            func.count(db.Review.id),
            func.coalesce(func.sum(db.Review.rating), 0),
            func.coalesce(func.sum(case((recent, 1), else_=0)), 0),
            func.coalesce(
                func.sum(case(((recent) & (db.Review.rating >= POSITIVE_RATING), 1), else_=0)), 0
            ),
        ).where(db.Review.shop_id == shop_id, db.Review.hidden_at.is_(None))
    ).one()
    return Reputation.of(
        Tally(
            count=int(row[0]),
            rating_sum=int(row[1]),
            recent_count=int(row[2]),
            recent_positive=int(row[3]),
            changes=changes,
        )
    )


def _locked_tally(session: Session, shop_id: str) -> db.ShopReviewTally:
    tally = session.get(db.ShopReviewTally, shop_id, with_for_update=True)
    if tally is not None:
        return tally
    try:
        with session.begin_nested():
            session.add(db.ShopReviewTally(shop_id=shop_id, reviews=0))
    except IntegrityError:
        # The shop's first two reviews arrived together; the other one made the row.
        pass
    tally = session.get(db.ShopReviewTally, shop_id, with_for_update=True, populate_existing=True)
    assert tally is not None
    return tally
