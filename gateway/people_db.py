"""The gateway's tables for friends and favourite shops, on the accounts' metadata.

Who follows whom is account data, so it lives beside the accounts: the services never see
it, except the ids of the people someone may see, sent with a question (docs/api.md).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base
from services.common.clock import utcnow
from services.common.db import UtcDateTime


def _new_id() -> str:
    return str(uuid.uuid4())


class Follow(Base):
    """One shopper's request to follow another, by the address they typed.

    `followee_id` is empty when no account has that address: the request is kept all the
    same, so the one who asked cannot tell a known address from an unknown one.
    """

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("follower_id", "followee_email", name="uq_follows_follower_email"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    follower_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    followee_email: Mapped[str] = mapped_column(String(320))
    followee_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    # pending, accepted or declined (see people_services); only accepted counts.
    status: Mapped[str] = mapped_column(String(20))
    # The one who asked keeps seeing a declined request as sent, until they withdraw it.
    shown_to_follower: Mapped[bool] = mapped_column(Boolean, default=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class FollowPreference(Base):
    """Whether a person takes follow requests; no row means they do."""

    __tablename__ = "follow_preferences"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    accepts_requests: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class FavouriteShop(Base):
    """A shop a shopper follows, with its name and address as they were when followed."""

    __tablename__ = "favourite_shops"
    __table_args__ = (UniqueConstraint("user_id", "shop_id", name="uq_favourite_shops_user_shop"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    shop_id: Mapped[str] = mapped_column(String(64))
    shop_name: Mapped[str] = mapped_column(String(200))
    shop_slug: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
