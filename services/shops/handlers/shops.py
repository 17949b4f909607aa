"""Shops: opening one, its settings, its members, and who may touch it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common import geo
from services.common.messaging.tables import add_to_outbox
from services.shops.db import OutboxMessage, Shop, ShopMember
from services.shops.domain import (
    Conflict,
    InvalidInput,
    NotFound,
    OwnerOnly,
    ShopDraft,
    change_settings,
    slugify,
    unique_slug,
)
from services.shops.events import shop_updated
from services.shops.notices import announce_members

NO_SUCH_SHOP = "no such shop, or you are not one of its members"
SLUG_ATTEMPTS = 5


class Role:
    OWNER = "owner"
    STAFF = "staff"


def open_shop(session: Session, *, user_id: str, draft: ShopDraft) -> Shop:
    """Open a shop with the caller as its owner and announce it."""
    shop = Shop(
        name=draft.name,
        signature=draft.signature,
        about=draft.about,
        country=draft.country,
        currency=draft.currency,
    )
    _insert_with_unique_slug(session, shop)
    session.add(ShopMember(shop_id=shop.id, user_id=user_id, role=Role.OWNER))
    add_to_outbox(session, OutboxMessage, shop_updated(shop))
    announce_members(session, shop)
    return shop


def _insert_with_unique_slug(session: Session, shop: Shop) -> None:
    # Two shops opened at once under one name may pick the same slug; the unique index
    # refuses the second, and it simply tries the next free one.
    base = slugify(shop.name)
    for _ in range(SLUG_ATTEMPTS):
        taken = session.scalars(
            select(Shop.slug).where((Shop.slug == base) | Shop.slug.like(f"{base}-%"))
        )
        shop.slug = unique_slug(shop.name, taken)
        try:
            with session.begin_nested():
                session.add(shop)
                session.flush()
            return
        except IntegrityError:
            continue
    raise Conflict("many shops are being opened under this name right now; try again")


def shops_of(session: Session, *, user_id: str) -> list[Shop]:
    query = (
        select(Shop)
        .join(ShopMember, ShopMember.shop_id == Shop.id)
        .where(ShopMember.user_id == user_id)
        .order_by(Shop.created_at, Shop.id)
    )
    return list(session.scalars(query))


def public_shop(session: Session, *, shop_id: str) -> Shop:
    shop = session.get(Shop, shop_id)
    if shop is None:
        raise NotFound("no such shop")
    return shop


def membership(session: Session, *, shop_id: str, user_id: str) -> tuple[Shop, str]:
    """The shop and the caller's role in it; NotFound when the caller is not a member."""
    query = (
        select(Shop, ShopMember.role)
        .join(ShopMember, ShopMember.shop_id == Shop.id)
        .where(Shop.id == shop_id, ShopMember.user_id == user_id)
    )
    row = session.execute(query).first()
    if row is None:
        raise NotFound(NO_SUCH_SHOP)
    return row[0], row[1]


def member_shop(session: Session, *, shop_id: str, user_id: str) -> Shop:
    """The shop, if `user_id` is one of its members (owner or staff); NotFound otherwise."""
    return membership(session, shop_id=shop_id, user_id=user_id)[0]


def owner_shop(session: Session, *, shop_id: str, user_id: str) -> Shop:
    """The shop, if `user_id` owns it. Staff learn they lack the right, strangers nothing."""
    shop, role = membership(session, shop_id=shop_id, user_id=user_id)
    if role != Role.OWNER:
        raise OwnerOnly("only the shop's owner can change its settings and members")
    return shop


def change_shop(session: Session, *, shop: Shop, changes: Mapping[str, Any]) -> Shop:
    """Apply the owner's changes; a real change bumps the revision and is announced."""
    current = shop.settings()
    wanted = change_settings(current, changes)
    if wanted == current:
        return shop
    for name, value in vars(wanted).items():
        setattr(shop, name, value)
    if (wanted.town, wanted.country) != (current.town, current.country):
        place = geo.locate(wanted.town, wanted.country)
        shop.latitude = place.latitude if place is not None else None
        shop.longitude = place.longitude if place is not None else None
    shop.revision += 1
    session.flush()
    add_to_outbox(session, OutboxMessage, shop_updated(shop))
    return shop


def members(session: Session, *, shop: Shop) -> list[ShopMember]:
    query = select(ShopMember).where(ShopMember.shop_id == shop.id).order_by(ShopMember.user_id)
    return list(session.scalars(query))


def add_member(session: Session, *, shop: Shop, user_id: str, role: str) -> ShopMember:
    # Ownership is not handed out here: a shop has the one owner who opened it.
    if role != Role.STAFF:
        raise InvalidInput({"role": "a new member joins as staff"})
    user_id = user_id.strip()
    if not user_id or len(user_id) > 64:
        raise InvalidInput({"user_id": "give the new member's user id"})
    if session.get(ShopMember, (shop.id, user_id)) is not None:
        raise Conflict("this person is already a member of the shop")
    member = ShopMember(shop_id=shop.id, user_id=user_id, role=role)
    session.add(member)
    session.flush()
    announce_members(session, shop)
    return member


def remove_member(session: Session, *, shop: Shop, user_id: str) -> None:
    """Take a member off the shop; the shop always keeps at least one owner."""
    member = session.get(ShopMember, (shop.id, user_id), with_for_update=True)
    if member is None:
        raise NotFound("no such member in this shop")
    if member.role == Role.OWNER:
        # Locking every owner row keeps two owners from removing each other at once.
        owners = session.scalars(
            select(ShopMember.user_id)
            .where(ShopMember.shop_id == shop.id, ShopMember.role == Role.OWNER)
            .with_for_update()
        ).all()
        if len(owners) <= 1:
            raise Conflict("the shop's last owner cannot be removed")
    session.delete(member)
    session.flush()
    announce_members(session, shop)
