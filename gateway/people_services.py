"""Friends and favourite shops: the rules, as use cases on a database session.

A shopper asks to follow another by the exact e-mail address of their account; the other
accepts or declines; either can end it. Only an accepted follow lets the follower see
anything about the person they follow (which shops they bought from). Asking gives the
same answer whether or not the address has an account, or whether its owner takes
requests, so the form tells nobody who has an account.

Like account_services, each function commits its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from gateway import accounts
from gateway.accounts import AccountRuleBroken
from gateway.db import User
from gateway.people_db import FavouriteShop, Follow, FollowPreference
from services.common.clock import utcnow

PENDING = "pending"
ACCEPTED = "accepted"
DECLINED = "declined"

# The orders service answers about at most this many people per question (docs/api.md).
MAX_FOLLOWING = 500
# The catalog filters a search by at most this many shops.
MAX_FAVOURITE_SHOPS = 50


class FollowNotFound(Exception):
    """No such request or follow among the person's own."""


@dataclass(frozen=True)
class Person:
    id: str
    display_name: str
    email: str


@dataclass(frozen=True)
class FollowLink:
    """One follow as one side of it sees it: the follow's id and the other person."""

    id: str
    person: Person


@dataclass(frozen=True)
class SentRequest:
    id: str
    email: str
    requested_at: datetime


@dataclass(frozen=True)
class PeopleOverview:
    following: list[FollowLink]
    followers: list[FollowLink]
    requests_in: list[FollowLink]
    requests_out: list[SentRequest]
    accepts_requests: bool


def ask_to_follow(session: Session, *, follower_id: str, email: str) -> None:
    """Record a request to follow whoever has `email`; the same outcome for any address.

    Raises AccountRuleBroken("email", ...) only for what the asker knows already: a
    malformed address, their own, or too many follows.
    """
    email = accounts.check_email(email)
    me = session.get(User, follower_id)
    if me is None or me.email == email:
        raise AccountRuleBroken("email", "That is your own address: ask for someone else's.")
    existing = session.scalar(
        select(Follow).where(Follow.follower_id == follower_id, Follow.followee_email == email)
    )
    if existing is not None:
        # Asking again only shows the request again; whoever declined is not asked twice.
        existing.shown_to_follower = True
        session.commit()
        return
    asked = session.scalar(select(func.count(Follow.id)).where(Follow.follower_id == follower_id))
    if (asked or 0) >= MAX_FOLLOWING:
        raise AccountRuleBroken(
            "email",
            f"You have {MAX_FOLLOWING} follows and requests already: "
            "withdraw a request or unfollow someone first.",
        )
    followee = session.scalar(select(User).where(User.email == email))
    status = PENDING
    if followee is not None and not accepts_requests(session, followee.id):
        # Kept as declined at once: the asker sees a sent request, the other sees nothing.
        status = DECLINED
    session.add(
        Follow(
            follower_id=follower_id,
            followee_email=email,
            followee_id=followee.id if followee else None,
            status=status,
            shown_to_follower=True,
        )
    )
    try:
        session.commit()
    except IntegrityError:
        # The same request sent twice at once: one row is enough.
        session.rollback()


def accept(session: Session, *, user_id: str, follow_id: str) -> None:
    follow = _request_to(session, user_id, follow_id)
    follow.status = ACCEPTED
    follow.answered_at = utcnow()
    session.commit()


def decline(session: Session, *, user_id: str, follow_id: str) -> None:
    follow = _request_to(session, user_id, follow_id)
    _decline(follow)
    session.commit()


def end_follow(session: Session, *, user_id: str, follow_id: str) -> None:
    """Unfollow or withdraw a request (the follower), or remove a follower (the followed).

    A removed follower is treated as declined, so they cannot simply ask again.
    """
    follow = session.get(Follow, follow_id)
    if follow is None:
        raise FollowNotFound()
    if follow.follower_id == user_id and follow.shown_to_follower:
        if follow.status == DECLINED:
            follow.shown_to_follower = False
        else:
            session.delete(follow)
    elif follow.followee_id == user_id and follow.status == ACCEPTED:
        _decline(follow)
        follow.shown_to_follower = False
    else:
        raise FollowNotFound()
    session.commit()


def _decline(follow: Follow) -> None:
    follow.status = DECLINED
    follow.answered_at = utcnow()


def _request_to(session: Session, user_id: str, follow_id: str) -> Follow:
    follow = session.get(Follow, follow_id)
    if follow is None or follow.followee_id != user_id or follow.status != PENDING:
        raise FollowNotFound()
    return follow


def accepts_requests(session: Session, user_id: str) -> bool:
    preference = session.get(FollowPreference, user_id)
    return preference is None or preference.accepts_requests


def set_accepts_requests(session: Session, *, user_id: str, accepts: bool) -> None:
    """Turning requests off leaves the ones already waiting to be answered."""
    preference = session.get(FollowPreference, user_id)
    if preference is None:
        preference = FollowPreference(user_id=user_id)
        session.add(preference)
    preference.accepts_requests = accepts
    preference.updated_at = utcnow()
    session.commit()


def followees(session: Session, user_id: str) -> list[Person]:
    """The people who accepted `user_id` as a follower: the only ones they may see."""
    return [link.person for link in _links(session, user_id, following=True, status=ACCEPTED)]


def requests_waiting(session: Session, user_id: str) -> int:
    count = session.scalar(
        select(func.count(Follow.id)).where(Follow.followee_id == user_id, Follow.status == PENDING)
    )
    return int(count or 0)


def overview(session: Session, user_id: str) -> PeopleOverview:
    sent = session.scalars(
        select(Follow)
        .where(
            Follow.follower_id == user_id,
            Follow.shown_to_follower.is_(True),
            or_(Follow.status == PENDING, Follow.status == DECLINED),
        )
        .order_by(Follow.requested_at.desc())
    )
    return PeopleOverview(
        following=_links(session, user_id, following=True, status=ACCEPTED),
        followers=_links(session, user_id, following=False, status=ACCEPTED),
        requests_in=_links(session, user_id, following=False, status=PENDING),
        # A declined request reads as sent: whether and how someone answered is theirs.
        requests_out=[SentRequest(row.id, row.followee_email, row.requested_at) for row in sent],
        accepts_requests=accepts_requests(session, user_id),
    )


def _links(session: Session, user_id: str, *, following: bool, status: str) -> list[FollowLink]:
    other = aliased(User)
    mine, theirs = (
        (Follow.follower_id, Follow.followee_id)
        if following
        else (Follow.followee_id, Follow.follower_id)
    )
    rows = session.execute(
        select(Follow.id, other.id, other.display_name, other.email)
        .join(other, other.id == theirs)
        .where(mine == user_id, Follow.status == status)
        .order_by(other.display_name, other.id)
        .limit(MAX_FOLLOWING)
    )
    return [
        FollowLink(follow_id, Person(person_id, name, email))
        for follow_id, person_id, name, email in rows
    ]


# --- favourite shops ----------------------------------------------------------------------


def favourite_shops(session: Session, user_id: str) -> list[FavouriteShop]:
    return list(
        session.scalars(
            select(FavouriteShop)
            .where(FavouriteShop.user_id == user_id)
            .order_by(FavouriteShop.shop_name, FavouriteShop.shop_id)
        )
    )


def favourite_shop_ids(session: Session, user_id: str) -> set[str]:
    return set(
        session.scalars(select(FavouriteShop.shop_id).where(FavouriteShop.user_id == user_id))
    )


def follow_shop(
    session: Session, *, user_id: str, shop_id: str, shop_name: str, shop_slug: str | None
) -> None:
    """Follow a shop (again: its name is refreshed); at most MAX_FAVOURITE_SHOPS."""
    existing = session.scalar(
        select(FavouriteShop).where(
            FavouriteShop.user_id == user_id, FavouriteShop.shop_id == shop_id
        )
    )
    if existing is None:
        if len(favourite_shop_ids(session, user_id)) >= MAX_FAVOURITE_SHOPS:
            raise AccountRuleBroken(
                "shop",
                f"You follow {MAX_FAVOURITE_SHOPS} shops already: unfollow one first.",
            )
        existing = FavouriteShop(user_id=user_id, shop_id=shop_id)
        session.add(existing)
    existing.shop_name = shop_name[:200]
    existing.shop_slug = shop_slug[:200] if shop_slug else None
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # followed twice at once: one row is enough


def unfollow_shop(session: Session, *, user_id: str, shop_id: str) -> None:
    session.execute(
        delete(FavouriteShop).where(
            FavouriteShop.user_id == user_id, FavouriteShop.shop_id == shop_id
        )
    )
    session.commit()
