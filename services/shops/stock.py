"""Stock reservation for incoming orders, and giving stock back.

Each line is reserved with one conditional UPDATE (`quantity >= wanted`), so two buyers
racing for the last copy can never both get it: the database decides, not a read-then-write
in Python. Listings are always touched in the order of their ids, so two orders sharing
listings lock them in the same order and cannot deadlock on PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.common.contracts import (
    OrderCancelled,
    OrderPlaced,
    ShopOrderAccepted,
    ShopOrderDeclined,
)
from services.common.messaging.tables import add_to_outbox, utcnow
from services.shops.db import Listing, OutboxMessage, Shop, ShopOrder
from services.shops.domain import OrderHandling, ShopOrderStatus, respond_by
from services.shops.events import listing_upserted, shop_order_declined

log = logging.getLogger(__name__)


class CannotReserve(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def wanted_quantities(lines: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Quantity per listing, summing lines that name the same listing twice."""
    wanted: dict[str, int] = {}
    for line in lines:
        wanted[line["listing_id"]] = wanted.get(line["listing_id"], 0) + int(line["quantity"])
    return wanted


def reserve(
    session: Session,
    *,
    shop_id: str,
    wanted: Mapping[str, int],
    titles: Mapping[str, str],
    now: datetime,
) -> list[Listing]:
    """Take `wanted` out of stock for every listing, or raise CannotReserve; return the
    listings as they now stand, in the order of their ids.

    With several listings the caller runs this inside a savepoint, so a failure on a later
    line undoes the earlier ones and the order holds nothing.
    """
    changed: list[Listing] = []
    for listing_id in sorted(wanted):
        quantity = wanted[listing_id]
        # RETURNING hands back the listing as the UPDATE left it: no second read.
        listing = session.scalars(
            update(Listing)
            .where(
                Listing.id == listing_id,
                Listing.shop_id == shop_id,
                Listing.quantity >= quantity,
            )
            .values(
                quantity=Listing.quantity - quantity,
                revision=Listing.revision + 1,
                updated_at=now,
            )
            .returning(Listing),
            execution_options={"synchronize_session": False, "populate_existing": True},
        ).one_or_none()
        if listing is None:
            raise CannotReserve(_why_not(session, shop_id, listing_id, titles.get(listing_id)))
        changed.append(listing)
    return changed


def release(session: Session, order: ShopOrder, *, now: datetime) -> list[Listing]:
    """Put an order's reserved stock back on the shelf and tell the catalog."""
    wanted = wanted_quantities(order.lines)
    for listing_id in sorted(wanted):
        session.execute(
            update(Listing)
            .where(Listing.id == listing_id, Listing.shop_id == order.shop_id)
            .values(
                quantity=Listing.quantity + wanted[listing_id],
                revision=Listing.revision + 1,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    listings = _reload(session, wanted)
    for listing in listings:
        add_to_outbox(session, OutboxMessage, listing_upserted(listing))
    return listings


def _reload(session: Session, wanted: Mapping[str, int]) -> list[Listing]:
    # The UPDATEs above bypassed the identity map; read back what the database now holds.
    query = (
        select(Listing)
        .where(Listing.id.in_(sorted(wanted)))
        .order_by(Listing.id)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(query))


def _why_not(session: Session, shop_id: str, listing_id: str, title: str | None) -> str:
    listing = session.get(Listing, listing_id, populate_existing=True)
    if listing is None or listing.shop_id != shop_id:
        return f"No longer available: {title or listing_id}"
    return f"Out of stock: {listing.title}"


# --- the order events -----------------------------------------------------------------


def place_order(session: Session, event: OrderPlaced) -> ShopOrder | None:
    """Record a shop's part of an order and reserve its stock, or decline it at once.

    Applying the same part twice does nothing the second time.
    """
    if session.get(ShopOrder, event.shop_order_id) is not None:
        log.info("order part already recorded", extra={"shop_order_id": event.shop_order_id})
        return None
    now = utcnow()
    shop = session.get(Shop, event.shop_id)
    if shop is None:
        # Nothing to record the part against; the buyer's side still needs an answer.
        add_to_outbox(
            session,
            OutboxMessage,
            ShopOrderDeclined(
                shop_order_id=event.shop_order_id,
                order_id=event.order_id,
                shop_id=event.shop_id,
                reason="This shop is no longer on the storefront.",
            ),
        )
        return None
    order = _new_shop_order(event, now=now)
    if shop.on_vacation:
        # Its listings say they cannot be bought; an order that slipped through is told why.
        return _decline_at_once(session, order, "The shop is away on vacation.", now=now)
    wanted = wanted_quantities(order.lines)
    titles = {line.listing_id: line.title for line in event.lines}
    try:
        if len(wanted) == 1:
            # One conditional UPDATE either takes the stock or changes nothing: no
            # savepoint is needed to undo it.
            changed = reserve(session, shop_id=event.shop_id, wanted=wanted, titles=titles, now=now)
        else:
            with session.begin_nested():
                changed = reserve(
                    session, shop_id=event.shop_id, wanted=wanted, titles=titles, now=now
                )
    except CannotReserve as refusal:
        return _decline_at_once(session, order, refusal.reason, now=now)
    order.stock_reserved = True
    session.add(order)
    if shop.order_handling == OrderHandling.AUTO_ACCEPT:
        order.accept(now=now)
        add_to_outbox(
            session,
            OutboxMessage,
            ShopOrderAccepted(shop_order_id=order.id, order_id=order.order_id, shop_id=shop.id),
        )
    else:
        order.respond_by = respond_by(now, hours=shop.response_hours)
    for listing in changed:
        add_to_outbox(session, OutboxMessage, listing_upserted(listing))
    return order


def _decline_at_once(
    session: Session, order: ShopOrder, reason: str, *, now: datetime
) -> ShopOrder:
    order.decline(reason=reason, now=now)
    session.add(order)
    add_to_outbox(session, OutboxMessage, shop_order_declined(order))
    return order


def locked_order(session: Session, *, shop_order_id: str, shop_id: str) -> ShopOrder | None:
    """The shop's order named by an event, read afresh and locked for this transaction;
    None when the shop has no such order."""
    order = session.scalars(
        select(ShopOrder)
        .where(ShopOrder.id == shop_order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    return order if order is not None and order.shop_id == shop_id else None


def cancel_order(session: Session, event: OrderCancelled) -> ShopOrder | None:
    """The buyer's side called the part off: give its stock back if it still holds any."""
    # Locked, so a seller declining at the same moment cannot give the stock back twice.
    order = locked_order(session, shop_order_id=event.shop_order_id, shop_id=event.shop_id)
    if order is None:
        log.warning("cancellation for an unknown order part", extra={"id": event.shop_order_id})
        return None
    if order.status not in (ShopOrderStatus.PENDING, ShopOrderStatus.ACCEPTED):
        # Declined parts hold no stock, and a shipped parcel is already on its way.
        log.info("cancellation ignored", extra={"id": order.id, "status": order.status})
        return order
    now = utcnow()
    if order.cancel(reason=event.reason, now=now):
        release(session, order, now=now)
    return order


def _new_shop_order(event: OrderPlaced, *, now: datetime) -> ShopOrder:
    return ShopOrder(
        id=event.shop_order_id,
        order_id=event.order_id,
        shop_id=event.shop_id,
        buyer_user_id=event.buyer.user_id,
        buyer_name=event.buyer.name,
        lines=[line.model_dump(mode="json") for line in event.lines],
        subtotal_amount=event.subtotal.amount,
        subtotal_currency=event.subtotal.currency,
        shipping_amount=event.shipping.amount,
        shipping_currency=event.shipping.currency,
        status=ShopOrderStatus.PENDING,
        stock_reserved=False,
        placed_at=event.placed_at,
        received_at=now,
    )
