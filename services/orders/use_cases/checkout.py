"""Checkout: turn the buyer's cart into an order with one part per shop.

1. A key the buyer already used returns that order: a retried request never orders twice.
2. Every cart item is read again from its shop (outside any transaction). If a price, the
   stock or the listing itself changed, checkout stops with 409 naming each change, and the
   cart takes over the new prices so the buyer sees them before paying.
3. Shipping is priced from each shop's current rates and the destination country. When the
   buyer sends the total they were shown and this total differs, checkout stops with 409
   naming each shop whose shipping changed (use_cases/expected_total.py).
4. The order's total is authorized on the buyer's card, keyed by the buyer's checkout key
   (use_cases/holds.py): a retry after a process died reuses that authorization instead
   of holding the money twice. A declined card stops here, with nothing written. The
   provider is called outside the order's transaction, as a remote provider would be; an
   authorization whose order then fails to be written is voided (and one left behind by
   a crash is voided by the orders worker a few minutes later).
5. One transaction writes the order, its parts with their payments ledgers, their "placed"
   timeline entries, one OrderPlaced event per part (with its copy of the address) and
   one OrderConfirmed in the outbox (use_cases/checkout_events.py), marks the hold as used
   by the order, and empties the cart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from services.common.clock import utcnow
from services.common.db import reading
from services.common.messaging.tables import outbox_row
from services.orders import db
from services.orders.domain.cart import CartItem, CartProblem, review_cart
from services.orders.domain.errors import EmptyCart
from services.orders.domain.order import Buyer, Order, ShippingAddress
from services.orders.listings import ListingDirectory, ListingInfo
from services.orders.mapping import NewOrderRows, order_to_rows
from services.orders.payments.port import Authorization, Card, Payments
from services.orders.use_cases import holds
from services.orders.use_cases.cart import cart_choices, cart_items, cart_rows
from services.orders.use_cases.checkout_events import checkout_events
from services.orders.use_cases.errors import (
    CartChanged,
    CartEditedDuringCheckout,
    CheckoutInterrupted,
)
from services.orders.use_cases.expected_total import require_shown_total

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckoutResult:
    order_id: str
    # The rows this call wrote, so the answer needs no read back; None when the key had
    # already placed an order.
    written: NewOrderRows | None = None

    @property
    def placed(self) -> bool:
        return self.written is not None


def checkout(
    session_factory: sessionmaker,
    listings: ListingDirectory,
    *,
    payments: Payments,
    buyer: Buyer,
    idempotency_key: str,
    shipping_address: ShippingAddress,
    card: Card,
    expected_total: int | None = None,
    commission_bps: int = 0,
    provider_name: str = "test",
    now: Callable[[], datetime] = utcnow,
    delivery: Mapping[str, str] | None = None,
) -> CheckoutResult:
    """Place the buyer's cart as an order, or find the one this key already placed.

    `delivery` names the service (or "pickup") per shop id, over what the buyer chose in
    the cart; a shop named in neither sends by its cheapest service."""
    # Reads take no write lock: write_order checks the key and the cart again, locked.
    with reading(session_factory) as session:
        existing = order_id_for_key(session, buyer.user_id, idempotency_key)
        if existing is not None:
            return CheckoutResult(existing)
        items = cart_items(session, buyer.user_id)
        choices = cart_choices(session, buyer.user_id) | dict(delivery or {})
    if not items:
        raise EmptyCart("your cart is empty: add something before checking out")

    current = {item.listing_id: listings.get(item.listing_id) for item in items}
    problems = review_cart(items, current)
    if problems:
        with session_factory.begin() as session:
            take_over_current_prices(session, buyer.user_id, problems)
        raise CartChanged(problems)

    # Built before any transaction: a domain refusal (mixed currencies) writes nothing.
    order = Order.place(
        buyer=buyer,
        idempotency_key=idempotency_key,
        shipping_address=shipping_address,
        items=with_current_shipping(items, current),
        placed_at=now(),
        commission_bps=commission_bps,
        choices=choices,
    )
    require_shown_total(
        session_factory, order, items, current, expected=expected_total, choices=choices
    )
    # Keyed by the buyer's checkout key: a retry, or a request racing with the same key,
    # finds the same hold; release below voids it only if no order uses it.
    authorization = holds.hold(
        session_factory,
        payments,
        user_id=buyer.user_id,
        checkout_key=idempotency_key,
        amount=order.total,
        card=card,
        now=order.placed_at,
    )
    rows = order_to_rows(order, authorization, provider=provider_name)
    try:
        existing = write_order(session_factory, order, rows, items, authorization)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its order.
        with reading(session_factory) as session:
            existing = order_id_for_key(session, buyer.user_id, idempotency_key)
        if existing is None:
            holds.release(session_factory, payments, authorization, now=now())
            raise
    except holds.HoldReleased as error:
        raise CheckoutInterrupted(
            "your checkout took too long and the payment it held was released; nothing "
            "was ordered: check out again"
        ) from error
    except Exception:
        holds.release(session_factory, payments, authorization, now=now())
        raise
    if existing is not None:
        holds.release(session_factory, payments, authorization, now=now())
        return CheckoutResult(existing)
    return CheckoutResult(order.id, rows)


def write_order(
    session_factory: sessionmaker,
    order: Order,
    rows: NewOrderRows,
    items: Sequence[CartItem],
    authorization: Authorization | None = None,
) -> str | None:
    """Write the order in one transaction, with the hold it uses; return the id of an
    earlier order with the same key instead, writing nothing."""
    buyer = order.buyer
    with session_factory.begin() as session:
        existing = order_id_for_key(session, buyer.user_id, order.idempotency_key)
        if existing is not None:
            return existing
        if cart_signature(cart_items(session, buyer.user_id)) != cart_signature(items):
            raise CartEditedDuringCheckout(
                "your cart was changed in another window during checkout; nothing was "
                "ordered: review your cart and check out again"
            )
        # Core inserts, one statement per table: a new order needs none of the ORM's
        # change tracking, which cost more than the inserts themselves.
        session.execute(INSERT_ORDER, [rows.order])
        session.execute(INSERT_PARTS, rows.parts)
        session.execute(INSERT_TIMELINE, rows.timeline)
        events = [outbox_row(event) for event in checkout_events(order)]
        session.execute(INSERT_OUTBOX, events)
        session.execute(EMPTY_CART, {"user_id": buyer.user_id})
        if authorization is not None:
            holds.use(session, authorization, order_id=order.id)
    return None


def with_current_shipping(
    items: Sequence[CartItem], current: dict[str, ListingInfo | None]
) -> list[CartItem]:
    """The items with their shops' rates and countries as the shops state them now."""
    fresh: list[CartItem] = []
    for item in items:
        listing = current[item.listing_id]
        assert listing is not None, "review_cart stops checkout for a listing that is gone"
        fresh.append(
            replace(item, shop_country=listing.shop_country, shipping_rates=listing.shipping)
        )
    return fresh


def cart_signature(items: Sequence[CartItem]) -> list[tuple[object, ...]]:
    """What the buyer agreed to pay for: the same signature means the same cart."""
    return [(item.listing_id, item.quantity, item.unit_price) for item in items]


# Statements run on every checkout are built once: building one costs more than running it.
# On the tables rather than the mapped classes: plain Core statements skip the ORM's
# compile and loading steps.
_orders = db.Order.__table__.c
ORDER_FOR_KEY = select(_orders.id).where(
    _orders.buyer_user_id == bindparam("user_id"),
    _orders.idempotency_key == bindparam("key"),
)
INSERT_ORDER = insert(db.Order.__table__)
INSERT_PARTS = insert(db.ShopOrder.__table__)
INSERT_TIMELINE = insert(db.TimelineEntry.__table__)
INSERT_OUTBOX = insert(db.OutboxMessage.__table__)
EMPTY_CART = delete(db.CartLine.__table__).where(
    db.CartLine.__table__.c.user_id == bindparam("user_id")
)


def order_id_for_key(session: Session, user_id: str, idempotency_key: str) -> str | None:
    return session.scalar(ORDER_FOR_KEY, {"user_id": user_id, "key": idempotency_key})


def take_over_current_prices(session: Session, user_id: str, problems: list[CartProblem]) -> None:
    new_prices = {p.listing_id: p.current_price for p in problems if p.current_price}
    for row in cart_rows(session, user_id):
        price = new_prices.get(row.listing_id)
        if price is not None:
            row.unit_price_amount = price.amount
            row.unit_price_currency = price.currency
