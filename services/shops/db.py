"""The shops service's tables. Nobody but this service reads or writes them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import make_metadata
from services.common.messaging.tables import InboxMixin, OutboxMixin, utcnow
from services.shops.domain import ShopOrderLifecycle, ShopOrderStatus

metadata = make_metadata()


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = metadata


class OutboxMessage(OutboxMixin, Base):
    pass


class InboxMessage(InboxMixin, Base):
    pass


class Shop(Base):
    __tablename__ = "shop"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    signature: Mapped[str] = mapped_column(String(200))
    about: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str | None] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ShopMember(Base):
    __tablename__ = "shop_member"

    shop_id: Mapped[str] = mapped_column(ForeignKey("shop.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(10), default="owner")

    __table_args__ = (CheckConstraint("role IN ('owner', 'staff')", name="role"),)


class Listing(Base):
    __tablename__ = "listing"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shop.id"), index=True)
    # Optional, but when a shop uses SKUs each one names one listing (NULLs never collide).
    sku: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    author: Mapped[str | None] = mapped_column(String(300))
    isbn: Mapped[str | None] = mapped_column(String(13), index=True)
    condition: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    price_amount: Mapped[int] = mapped_column(Integer)
    price_currency: Mapped[str] = mapped_column(String(3))
    quantity: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        UniqueConstraint("shop_id", "sku", name="uq_listing_shop_id_sku"),
        # The last line of defence: stock never goes below zero, whatever the code does.
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("price_amount > 0", name="price_positive"),
    )


class ShopOrder(ShopOrderLifecycle, Base):
    """The shop's view of its part of an order; the id is the orders service's part id."""

    __tablename__ = "shop_order"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(36), index=True)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shop.id"), index=True)
    buyer_user_id: Mapped[str] = mapped_column(String(64))
    buyer_name: Mapped[str] = mapped_column(String(200))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    subtotal_amount: Mapped[int] = mapped_column(Integer)
    subtotal_currency: Mapped[str] = mapped_column(String(3))
    shipping_amount: Mapped[int] = mapped_column(Integer)
    shipping_currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(10), default=ShopOrderStatus.PENDING)
    # True while this order holds stock taken from the listings; cleared when it goes back.
    stock_reserved: Mapped[bool] = mapped_column(Boolean, default=False)
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    signed_by: Mapped[str | None] = mapped_column(String(200))
    carrier: Mapped[str | None] = mapped_column(String(100))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'shipped', 'cancelled')",
            name="status",
        ),
    )
