"""Everything the platform holds about one person, as one JSON document ("download my data").

The gateway's own part comes from its database; each service's part comes through that
service's API with the person's own token, so it holds exactly what the service would show
them, and nothing of anyone else.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from gateway.clients import OrdersClient, ShopsClient
from gateway.clients.base import ServiceClient
from gateway.clients.reviews import ReviewsClient
from gateway.clients.wants import WantsClient
from gateway.db import LoginFailure, User
from gateway.people_db import FavouriteShop, Follow, FollowPreference
from services.common.clock import as_utc

Json = dict[str, Any]


def _when(value: datetime | None) -> str | None:
    if value is None:
        return None
    return as_utc(value).isoformat()


def gateway_part(session: Session, user_id: str) -> Json:
    """The account, its friends and favourite shops, and the failed log-ins on its address."""
    user = session.get(User, user_id)
    if user is None:
        return {}
    follows = session.scalars(
        select(Follow).where(or_(Follow.follower_id == user_id, Follow.followee_id == user_id))
    )
    preference = session.get(FollowPreference, user_id)
    favourites = session.scalars(select(FavouriteShop).where(FavouriteShop.user_id == user_id))
    failures = session.scalars(select(LoginFailure.at).where(LoginFailure.email == user.email))
    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "email_verified": user.email_verified,
            "display_name": user.display_name,
            "created_at": _when(user.created_at),
        },
        "follows": [
            {
                "direction": "you asked" if row.follower_id == user_id else "asked you",
                "address_asked_for": row.followee_email if row.follower_id == user_id else None,
                "status": row.status,
                "requested_at": _when(row.requested_at),
                "answered_at": _when(row.answered_at),
            }
            for row in follows
        ],
        "accepts_follow_requests": preference.accepts_requests if preference else None,
        "favourite_shops": [
            {"shop_id": row.shop_id, "name": row.shop_name, "added_at": _when(row.created_at)}
            for row in favourites
        ],
        "failed_log_ins_on_your_address": [_when(at) for at in failures],
    }


class _DataClient(ServiceClient):
    """The reads "download my data" needs that no page uses."""

    def conversations(self) -> list[Json]:
        return self._call("GET", "/conversations/all").get("conversations", [])

    def customer_records(self) -> list[Json]:
        return self._call("GET", "/customers/me").get("records", [])


def services_part(
    *, orders: OrdersClient, reviews: ReviewsClient, conversations: _DataClient,
    wants: WantsClient, shops: ShopsClient, customer_book: _DataClient,
) -> Json:  # fmt: skip
    """What each service holds about the person, read with their token."""
    placed = [orders.order(summary["id"]) for summary in orders.orders()]
    return {
        "orders": {
            "cart": orders.cart(),
            "orders": placed,
            "reviews_written": [
                review for order in placed for review in reviews.order_reviews(order["id"])
            ],
            "conversations": conversations.conversations(),
        },
        "catalog": {"wants": wants.wants(), "want_matches": wants.matches(limit=500)},
        "shops": {
            "shops_you_belong_to": shops.my_shops(),
            "what_shops_note_about_you": customer_book.customer_records(),
        },
    }


def data_client(service: str, base_url: str, *, token: str | None, timeout: float) -> _DataClient:
    client = _DataClient(base_url, token=token, timeout=timeout)
    client.service = service
    return client
