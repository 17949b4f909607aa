"""The seller's commands and reads. Each takes a session inside the caller's transaction.

Membership is always checked against this service's own ShopMember table: the token's
list of shops is only a hint, and a shop the caller is not a member of does not exist.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.contracts import ShopOrderAccepted, ShopOrderShipped
from services.common.messaging.tables import add_to_outbox, utcnow
from services.shops.db import Listing, OutboxMessage, Shop, ShopMember, ShopOrder
from services.shops.domain import (
    Conflict,
    ListingDraft,
    NotFound,
    ShopDraft,
    slugify,
    unique_slug,
)
from services.shops.events import listing_upserted, shop_order_declined, shop_updated
from services.shops.stock import release

NO_SUCH_SHOP = "no such shop, or you are not one of its members"
NO_SUCH_ORDER = "no such order in this shop"
SLUG_ATTEMPTS = 5

# --- shops ------------------------------------------------------------------------------


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
    session.add(ShopMember(shop_id=shop.id, user_id=user_id, role="owner"))
    add_to_outbox(session, OutboxMessage, shop_updated(shop))
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


def member_shop(session: Session, *, shop_id: str, user_id: str) -> Shop:
    """The shop, if `user_id` is one of its members; NotFound otherwise."""
    query = (
        select(Shop)
        .join(ShopMember, ShopMember.shop_id == Shop.id)
        .where(Shop.id == shop_id, ShopMember.user_id == user_id)
    )
    shop = session.scalars(query).first()
    if shop is None:
        raise NotFound(NO_SUCH_SHOP)
    return shop


# --- listings ---------------------------------------------------------------------------


def add_listing(session: Session, *, shop: Shop, draft: ListingDraft) -> Listing:
    if draft.sku is not None:
        taken = session.scalar(
            select(func.count())
            .select_from(Listing)
            .where(Listing.shop_id == shop.id, Listing.sku == draft.sku)
        )
        if taken:
            raise Conflict(f"SKU {draft.sku!r} is already used by another of your listings")
    now = utcnow()
    listing = Listing(
        shop_id=shop.id,
        sku=draft.sku,
        title=draft.title,
        author=draft.author,
        isbn=draft.isbn,
        condition=draft.condition,
        description=draft.description,
        price_amount=draft.price_amount,
        price_currency=draft.price_currency,
        quantity=draft.quantity,
        revision=1,
        created_at=now,
        updated_at=now,
    )
    session.add(listing)
    session.flush()
    add_to_outbox(session, OutboxMessage, listing_upserted(listing))
    return listing


def shop_listings(session: Session, *, shop: Shop) -> list[Listing]:
    query = (
        select(Listing)
        .where(Listing.shop_id == shop.id)
        .order_by(Listing.created_at.desc(), Listing.id)
    )
    return list(session.scalars(query))


def public_listing(session: Session, *, listing_id: str) -> tuple[Listing, Shop]:
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise NotFound("no such listing")
    return listing, session.get_one(Shop, listing.shop_id)


# --- the shop's orders --------------------------------------------------------------------


def shop_orders(session: Session, *, shop: Shop) -> list[ShopOrder]:
    query = (
        select(ShopOrder)
        .where(ShopOrder.shop_id == shop.id)
        .order_by(ShopOrder.placed_at.desc(), ShopOrder.id)
    )
    return list(session.scalars(query))


def shop_order(session: Session, *, shop: Shop, shop_order_id: str) -> ShopOrder:
    order = session.get(ShopOrder, shop_order_id)
    if order is None or order.shop_id != shop.id:
        raise NotFound(NO_SUCH_ORDER)
    return order


def _order_for_update(session: Session, *, shop: Shop, shop_order_id: str) -> ShopOrder:
    # Row lock on PostgreSQL so a cancellation and a seller's click cannot both win;
    # SQLite's BEGIN IMMEDIATE already serializes writers.
    query = (
        select(ShopOrder)
        .where(ShopOrder.id == shop_order_id, ShopOrder.shop_id == shop.id)
        .with_for_update()
    )
    order = session.scalars(query).first()
    if order is None:
        raise NotFound(NO_SUCH_ORDER)
    return order


def accept_order(session: Session, *, shop: Shop, shop_order_id: str) -> ShopOrder:
    order = _order_for_update(session, shop=shop, shop_order_id=shop_order_id)
    order.accept(now=utcnow())
    add_to_outbox(
        session,
        OutboxMessage,
        ShopOrderAccepted(shop_order_id=order.id, order_id=order.order_id, shop_id=shop.id),
    )
    return order


def decline_order(
    session: Session, *, shop: Shop, shop_order_id: str, reason: str | None
) -> ShopOrder:
    order = _order_for_update(session, shop=shop, shop_order_id=shop_order_id)
    now = utcnow()
    if order.decline(reason=reason, now=now):
        release(session, order, now=now)
    add_to_outbox(session, OutboxMessage, shop_order_declined(order))
    return order


def ship_order(
    session: Session,
    *,
    shop: Shop,
    shop_order_id: str,
    note: str | None,
    carrier: str | None = None,
    tracking_number: str | None = None,
) -> ShopOrder:
    order = _order_for_update(session, shop=shop, shop_order_id=shop_order_id)
    order.ship(
        note=note,
        signed_by=shop.signature,
        carrier=carrier,
        tracking_number=tracking_number,
        now=utcnow(),
    )
    add_to_outbox(
        session,
        OutboxMessage,
        ShopOrderShipped(
            shop_order_id=order.id,
            order_id=order.order_id,
            shop_id=shop.id,
            note=order.note or "",
            signed_by=order.signed_by or shop.signature,
            carrier=order.carrier,
            tracking_number=order.tracking_number,
        ),
    )
    return order
