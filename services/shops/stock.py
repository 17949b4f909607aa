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

from sqlalchemy import Row, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.contracts import (
    Envelope,
    Event,
    OrderCancelled,
    OrderPlaced,
    OrderPlacedV2,
    ShopOrderAccepted,
    ShopOrderDeclined,
    wrap,
)
from services.common.messaging.tables import outbox_row
from services.shops import conflicts
from services.shops.db import Listing, OutboxMessage, Shop, ShopOrder
from services.shops.domain import (
    OrderHandling,
    ShopOrderLifecycle,
    ShopOrderStatus,
    respond_by,
)
from services.shops.events import listing_upserted, shop_order_declined
from services.shops.notices import awaiting_answer

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
) -> list[Row[Any]]:
    """Take `wanted` out of stock for every listing, or raise CannotReserve; return the
    listings' rows as they now stand, in the order of their ids.

    With several listings the caller runs this inside a savepoint, so a failure on a later
    line undoes the earlier ones and the order holds nothing.
    """
    changed: list[Row[Any]] = []
    for listing_id in sorted(wanted):
        # RETURNING hands back the listing as the UPDATE left it: no second read.
        listing = session.execute(
            RESERVE,
            {"listing_id": listing_id, "shop": shop_id, "wanted": wanted[listing_id], "now": now},
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
    _stage(session, announcing=listings)
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


class NewShopOrder(ShopOrderLifecycle):
    """A shop's part of an order before its row is written: the lifecycle's rules on plain
    attributes, which are exactly the columns its row is inserted with."""

    id: str
    order_id: str
    shop_id: str
    lines: list[dict[str, Any]]

    def __init__(self, **columns: Any) -> None:
        vars(self).update(columns)

    def row(self) -> dict[str, Any]:
        return dict(vars(self))


def place_order(session: Session, event: OrderPlaced) -> NewShopOrder | None:
    """Record a shop's part of an order and reserve its stock, or decline it at once.

    Applying the same part twice does nothing the second time.
    """
    # Plain Core statements throughout: the new part is inserted at once, so a second
    # delivery of the same part later in this transaction finds it here.
    if session.scalar(ORDER_EXISTS, {"id": event.shop_order_id}) is not None:
        log.info("order part already recorded", extra={"shop_order_id": event.shop_order_id})
        return None
    now = utcnow()
    shop = session.execute(SHOP_ANSWERING, {"id": event.shop_id}).first()
    if shop is None:
        # Nothing to record the part against; the buyer's side still needs an answer.
        _stage(
            session,
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
    if shop.suspended_at is not None:
        return _decline_at_once(
            session, order, "The shop is not selling on the storefront at the moment.", now=now
        )
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
    events: list[Event] = []
    if shop.order_handling == OrderHandling.AUTO_ACCEPT:
        order.accept(now=now)
        events.append(
            ShopOrderAccepted(
                shop_order_id=order.id, order_id=order.order_id, shop_id=order.shop_id
            )
        )
    else:
        order.respond_by = respond_by(now, hours=shop.response_hours)
        # The shop's members are told by mail, with the deadline.
        events.append(awaiting_answer(order))
    session.execute(INSERT_ORDER, order.row())
    _stage(session, *events, announcing=changed)
    return order


def _decline_at_once(
    session: Session, order: NewShopOrder, reason: str, *, now: datetime
) -> NewShopOrder:
    order.decline(reason=reason, now=now)
    session.execute(INSERT_ORDER, order.row())
    _stage(session, shop_order_declined(order))
    return order


def _stage(session: Session, *events: Event, announcing: Iterable[Any] = ()) -> None:
    """Write `events` to the outbox, in this order, then the new state of each listing in
    `announcing`, within the caller's transaction."""
    rows = [outbox_row(event) for event in events] + _announcements(session, announcing)
    if rows:
        session.execute(INSERT_OUTBOX, rows)


def _announcements(session: Session, listings: Iterable[Any]) -> list[dict[str, object]]:
    """Outbox rows telling the catalog each listing's new state.

    Nothing outside the transaction ever sees a listing's earlier states in it, so an
    announcement staged earlier in the same transaction for the same listing (an earlier
    order of the worker's batch) is taken back: a batch of orders for one listing sends the
    catalog one message about it, not one per order."""
    staged = _announced_in_this_transaction(session)
    rows, superseded = [], []
    for listing in listings:
        row = outbox_row(listing_upserted(listing))
        if listing.id in staged:
            superseded.append(staged[listing.id])
        staged[listing.id] = str(row["id"])
        rows.append(row)
    if superseded:
        session.execute(DROP_OUTBOX, {"ids": superseded})
    return rows


def _announced_in_this_transaction(session: Session) -> dict[str, str]:
    """Outbox id of each listing's announcement staged in the session's current
    transaction; a new transaction starts with none."""
    transaction = session.get_transaction()
    held = session.info.get(_ANNOUNCED)
    if held is None or held[0] is not transaction:
        held = session.info[_ANNOUNCED] = (transaction, {})
    return held[1]


_ANNOUNCED = "listings_announced"


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


def cancel_order(
    session: Session, event: OrderCancelled, envelope: Envelope | None = None
) -> ShopOrder | None:
    """The buyer's side called the part off (an extra charge refused or left unanswered,
    while the shop could not accept): give its stock back if it still holds any."""
    # Locked, so a seller declining at the same moment cannot give the stock back twice.
    order = locked_order(session, shop_order_id=event.shop_order_id, shop_id=event.shop_id)
    if order is None:
        log.warning("cancellation for an unknown order part", extra={"id": event.shop_order_id})
        return None
    if order.status == ShopOrderStatus.SHIPPED:
        # The parcel is on its way while the buyer's side believes the part called off:
        # nothing here can undo that, so an operator must see it.
        conflicts.record(
            session,
            envelope or wrap(event),
            shop_order_id=order.id,
            order=order,
            detail=f"the buyer's side cancelled a shipped order: {event.reason}",
        )
        return order
    if order.status not in (ShopOrderStatus.PENDING, ShopOrderStatus.ACCEPTED):
        # Declined and cancelled parts hold no stock.
        log.info("cancellation ignored", extra={"id": order.id, "status": order.status})
        return order
    now = utcnow()
    if order.cancel(reason=event.reason, now=now):
        release(session, order, now=now)
    return order


def _new_shop_order(event: OrderPlaced, *, now: datetime) -> NewShopOrder:
    return NewShopOrder(
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
        # Version 1 messages, still queued from before addresses travelled, carry none;
        # nor does a part collected in person.
        delivery_address=(
            event.delivery_address.model_dump()
            if isinstance(event, OrderPlacedV2)
            and not (event.delivery is not None and event.delivery.collection)
            else None
        ),
        **_delivery_columns(event),
    )


def _delivery_columns(event: OrderPlaced) -> dict[str, Any]:
    delivery = event.delivery
    if delivery is None:
        # Placed before buyers chose a service: the shop's only one.
        return {"collection": False}
    return {
        "delivery_service": delivery.service,
        "delivery_service_name": delivery.service_name,
        "delivery_days_min": delivery.days_min,
        "delivery_days_max": delivery.days_max,
        "collection": delivery.collection,
    }


# Statements run for every order are built once: building one costs more than running it.
# On the tables rather than the mapped classes: plain Core statements skip the ORM's
# compile and loading steps.
_orders = ShopOrder.__table__.c
_shops = Shop.__table__.c
_listings = Listing.__table__.c
ORDER_EXISTS = select(_orders.id).where(_orders.id == bindparam("id"))
# What place_order needs of the shop to answer an order.
SHOP_ANSWERING = select(
    _shops.on_vacation, _shops.order_handling, _shops.response_hours, _shops.suspended_at
).where(_shops.id == bindparam("id"))
# The reservation itself: one conditional UPDATE, so stock never goes below zero.
_wanted = bindparam("wanted")
RESERVE = (
    update(Listing.__table__)
    .where(
        _listings.id == bindparam("listing_id"),
        _listings.shop_id == bindparam("shop"),
        _listings.quantity >= _wanted,
    )
    .values(
        quantity=_listings.quantity - _wanted,
        revision=_listings.revision + 1,
        updated_at=bindparam("now"),
    )
    .returning(*Listing.__table__.c)
)
INSERT_ORDER = insert(ShopOrder.__table__)
INSERT_OUTBOX = insert(OutboxMessage.__table__)
DROP_OUTBOX = delete(OutboxMessage.__table__).where(
    OutboxMessage.__table__.c.id.in_(bindparam("ids", expanding=True))
)
