"""Read side: which of a given set of people bought from which shops, and their reviews.

The caller (the gateway) chooses the people, and only sends those who agreed to be seen
by the person asking; this module never decides who may see whom.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.orders import db
from services.orders.domain.order import PartStatus
from services.orders.review_views import public_review

Json = dict[str, Any]

# A shop page shows the reviews of the people one follows first; a few are enough.
REVIEWS_PER_SHOP = 10

# A part counts as a purchase once its shop accepted it; placed, declined, cancelled or
# unpaid parts were never bought.
BOUGHT = (PartStatus.ACCEPTED.value, PartStatus.SHIPPED.value, PartStatus.DELIVERED.value)


def buyers_among(
    session: Session, *, shop_ids: Collection[str], user_ids: Collection[str]
) -> dict[str, list[str]]:
    """For each shop id, the ids among `user_ids` with a part bought from it (sorted)."""
    found: dict[str, set[str]] = {shop_id: set() for shop_id in shop_ids}
    if not shop_ids or not user_ids:
        return {shop_id: [] for shop_id in found}
    rows = session.execute(
        select(db.ShopOrder.shop_id, db.Order.buyer_user_id)
        .join(db.Order, db.Order.id == db.ShopOrder.order_id)
        .where(
            db.ShopOrder.shop_id.in_(list(shop_ids)),
            db.Order.buyer_user_id.in_(list(user_ids)),
            db.ShopOrder.status.in_(BOUGHT),
        )
        .distinct()
    )
    for shop_id, user_id in rows:
        found[shop_id].add(user_id)
    return {shop_id: sorted(users) for shop_id, users in found.items()}


def reviews_among(
    session: Session,
    *,
    shop_ids: Collection[str],
    user_ids: Collection[str],
    per_shop: int = REVIEWS_PER_SHOP,
) -> dict[str, list[Json]]:
    """For each shop id, the public reviews written by `user_ids`, newest first."""
    found: dict[str, list[Json]] = {shop_id: [] for shop_id in shop_ids}
    if not shop_ids or not user_ids:
        return found
    reviews = session.scalars(
        select(db.Review)
        .where(db.Review.shop_id.in_(list(shop_ids)), db.Review.buyer_user_id.in_(list(user_ids)))
        .order_by(db.Review.posted_at.desc(), db.Review.id.desc())
    )
    for review in reviews:
        if len(found[review.shop_id]) < per_shop:
            found[review.shop_id].append(public_review(review))
    return found
