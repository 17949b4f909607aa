"""Checkout: turn the buyer's cart into an order with one part per shop.

1. A key the buyer already used returns that order: a retried request never orders twice.
2. Every cart item is read again from its shop (outside any transaction). If a price, the
   stock or the listing itself changed, checkout stops with 409 naming each change, and the
   cart takes over the new prices so the buyer sees them before paying.
3. Otherwise one transaction writes the order, its parts, their "placed" timeline entries,
   one OrderPlaced event per part in the outbox, and empties the cart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from services.common import contracts
from services.common.messaging.tables import add_to_outbox, utcnow
from services.orders import db
from services.orders.domain.cart import CartProblem, review_cart
from services.orders.domain.errors import EmptyCart
from services.orders.domain.order import Buyer, Order, ShippingAddress, ShopOrderPart
from services.orders.listings import ListingDirectory
from services.orders.mapping import order_to_rows
from services.orders.use_cases.cart import cart_items, cart_rows
from services.orders.use_cases.errors import CartChanged, CartEditedDuringCheckout


def checkout(
    session_factory: sessionmaker,
    listings: ListingDirectory,
    *,
    buyer: Buyer,
    idempotency_key: str,
    shipping_address: ShippingAddress,
    now: Callable[[], datetime] = utcnow,
) -> tuple[str, bool]:
    """Place the buyer's cart as an order. Return (order id, True if placed by this call)."""
    with session_factory() as session:
        existing = order_id_for_key(session, buyer.user_id, idempotency_key)
        if existing is not None:
            return existing, False
        items = cart_items(session, buyer.user_id)
    if not items:
        raise EmptyCart("your cart is empty: add something before checking out")

    current = {item.listing_id: listings.get(item.listing_id) for item in items}
    problems = review_cart(items, current)
    if problems:
        with session_factory.begin() as session:
            take_over_current_prices(session, buyer.user_id, problems)
        raise CartChanged(problems)

    # Built before the transaction: a domain refusal (mixed currencies) writes nothing.
    order = Order.place(
        buyer=buyer,
        idempotency_key=idempotency_key,
        shipping_address=shipping_address,
        items=items,
        placed_at=now(),
    )
    try:
        with session_factory.begin() as session:
            existing = order_id_for_key(session, buyer.user_id, idempotency_key)
            if existing is not None:
                return existing, False
            if cart_items(session, buyer.user_id) != items:
                raise CartEditedDuringCheckout(
                    "your cart was changed in another window during checkout; nothing was "
                    "ordered: review your cart and check out again"
                )
            session.add(order_to_rows(order))
            for part in order.parts:
                add_to_outbox(session, db.OutboxMessage, order_placed_event(order, part))
            for row in cart_rows(session, buyer.user_id):
                session.delete(row)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its order.
        with session_factory() as session:
            existing = order_id_for_key(session, buyer.user_id, idempotency_key)
        if existing is None:
            raise
        return existing, False
    return order.id, True


def order_id_for_key(session: Session, user_id: str, idempotency_key: str) -> str | None:
    return session.scalar(
        select(db.Order.id).where(
            db.Order.buyer_user_id == user_id, db.Order.idempotency_key == idempotency_key
        )
    )


def take_over_current_prices(session: Session, user_id: str, problems: list[CartProblem]) -> None:
    new_prices = {p.listing_id: p.current_price for p in problems if p.current_price}
    for row in cart_rows(session, user_id):
        price = new_prices.get(row.listing_id)
        if price is not None:
            row.unit_price_amount = price.amount
            row.unit_price_currency = price.currency


def order_placed_event(order: Order, part: ShopOrderPart) -> contracts.OrderPlaced:
    return contracts.OrderPlaced(
        order_id=order.id,
        shop_order_id=part.id,
        shop_id=part.shop_id,
        buyer=contracts.Buyer(user_id=order.buyer.user_id, name=order.buyer.name),
        lines=[
            contracts.OrderLine(
                listing_id=line.listing_id,
                title=line.title,
                quantity=line.quantity,
                unit_price=contracts.Money(**line.unit_price.as_dict()),
            )
            for line in part.lines
        ],
        subtotal=contracts.Money(**part.subtotal.as_dict()),
        shipping=contracts.Money(**part.shipping.as_dict()),
        placed_at=order.placed_at,
    )
