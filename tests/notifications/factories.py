"""Events as the other services publish them, with sensible defaults."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from services.common.contracts import (
    AccountUpdated,
    Buyer,
    Delivery,
    Money,
    OrderConfirmed,
    OrderLine,
    OrderPartSummary,
    OrderPlacedV2,
    PostalAddress,
    ShopMember,
    ShopMembersChanged,
    ShopOrderAwaitingAnswer,
)


def new_id() -> str:
    return str(uuid.uuid4())


def eur(amount: int) -> Money:
    return Money(amount=amount, currency="EUR")


def account(user_id: str, email: str, name: str, *, revision: int = 1) -> AccountUpdated:
    return AccountUpdated(
        user_id=user_id, email=email, display_name=name, email_verified=True, revision=revision
    )


def members(shop_id: str, name: str, *user_ids: str, revision: int = 1) -> ShopMembersChanged:
    roles = ["owner"] + ["staff"] * (len(user_ids) - 1)
    return ShopMembersChanged(
        shop_id=shop_id,
        slug=name.lower().replace(" ", "-"),
        name=name,
        members=[ShopMember(user_id=u, role=r) for u, r in zip(user_ids, roles, strict=True)],
        revision=revision,
    )


def line(title: str, amount: int, quantity: int = 1) -> OrderLine:
    return OrderLine(listing_id=new_id(), title=title, quantity=quantity, unit_price=eur(amount))


def part(
    shop_id: str, *lines: OrderLine, shipping: int = 450, delivery: Delivery | None = None
) -> OrderPartSummary:
    subtotal = sum(item.unit_price.amount * item.quantity for item in lines)
    return OrderPartSummary(
        shop_order_id=new_id(),
        shop_id=shop_id,
        lines=list(lines),
        subtotal=eur(subtotal),
        shipping=eur(shipping),
        delivery=delivery,
    )


def confirmed(buyer: tuple[str, str], *parts: OrderPartSummary, **overrides: Any) -> OrderConfirmed:
    total = sum(p.subtotal.amount + p.shipping.amount for p in parts)
    return OrderConfirmed(
        **(
            {
                "order_id": new_id(),
                "buyer": Buyer(user_id=buyer[0], name=buyer[1]),
                "parts": list(parts),
                "total": eur(total),
                "placed_at": datetime.now(UTC),
            }
            | overrides
        )
    )


def placed(order: OrderConfirmed, summary: OrderPartSummary) -> OrderPlacedV2:
    return OrderPlacedV2(
        order_id=order.order_id,
        shop_order_id=summary.shop_order_id,
        shop_id=summary.shop_id,
        buyer=order.buyer,
        lines=summary.lines,
        subtotal=summary.subtotal,
        shipping=summary.shipping,
        placed_at=order.placed_at,
        delivery=summary.delivery,
        delivery_address=PostalAddress(
            name=order.buyer.name,
            street_address="1 Rue de Rivoli",
            city="Paris",
            postal_code="75001",
            country_code="FR",
        ),
    )


def awaiting(summary: OrderPartSummary, order_id: str, *, reminder: bool = False):
    return ShopOrderAwaitingAnswer(
        shop_order_id=summary.shop_order_id,
        order_id=order_id,
        shop_id=summary.shop_id,
        answer_by=datetime(2026, 12, 9, 14, 5, tzinfo=UTC) - timedelta(0),
        reminder=reminder,
    )
