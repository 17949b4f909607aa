"""The shops service's tables. Nobody but this service reads or writes them."""

from __future__ import annotations

import os
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.clock import utcnow
from services.common.conflicts import ConflictMixin
from services.common.db import UtcDateTime, make_metadata
from services.common.messaging.tables import (
    InboxMixin,
    MessageFailureMixin,
    OutboxMixin,
    ParkedMessageMixin,
)
from services.common.operator_audit import OperatorActionMixin
from services.shops.domain import (
    RESPONSE_HOURS_DEFAULT,
    OrderHandling,
    ShopOrderLifecycle,
    ShopOrderStatus,
    ShopSettings,
)

metadata = make_metadata()


def new_id() -> str:
    return str(uuid.uuid4())


# A random UUID's variant digit (RFC 4122) keeps the two low bits of the random one.
_VARIANT_DIGIT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def new_ids(count: int) -> list[str]:
    """`count` ids like new_id()'s (random, version 4), for a bulk upload's new listings:
    made from one read of random bytes, without the uuid.UUID object per id, which costs
    more than all the rest of inserting the row."""
    digits = os.urandom(16 * count).hex()
    return [
        f"{digits[at : at + 8]}-{digits[at + 8 : at + 12]}-4{digits[at + 13 : at + 16]}-"
        f"{_VARIANT_DIGIT[digits[at + 16]]}{digits[at + 17 : at + 20]}-{digits[at + 20 : at + 32]}"
        for at in range(0, 32 * count, 32)
    ]


class Base(DeclarativeBase):
    metadata = metadata


class OutboxMessage(OutboxMixin, Base):
    pass


class InboxMessage(InboxMixin, Base):
    pass


class MessageFailure(MessageFailureMixin, Base):
    pass


class ParkedMessage(ParkedMessageMixin, Base):
    pass


class SagaConflict(ConflictMixin, Base):
    """An order event that contradicted the shop order's state (services/common/conflicts.py)."""


class Shop(Base):
    __tablename__ = "shop"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    signature: Mapped[str] = mapped_column(String(200))
    about: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str | None] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Increases with every change, so the catalog can ignore a stale shop.updated.
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    returns_policy: Mapped[str] = mapped_column(Text, default="", server_default="")
    shipping_policy: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Shipping rates in the shop's currency (minor units): a parcel's first item, then each
    # additional one. Orders compute a part's shipping from these.
    ship_domestic_first: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ship_domestic_additional: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ship_international_first: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ship_international_additional: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0"
    )
    # Items worth at least this ship for free (minor units); None: no such offer.
    ship_free_over: Mapped[int | None] = mapped_column(Integer)
    # The shipping profile (regions, services, countries not shipped to, collection), in
    # services/common/shipping.py's stored shape; the two-zone columns above are kept equal
    # to its home and rest-of-the-world standard services for readers that predate it.
    shipping_profile: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Where the shop is: the town shoppers see, the postal code, and the town's coordinates
    # (services/common/geo.py; None when the town is not known there).
    town: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    order_handling: Mapped[str] = mapped_column(
        String(12), default=OrderHandling.MANUAL, server_default=OrderHandling.MANUAL
    )
    response_hours: Mapped[int] = mapped_column(
        Integer, default=RESPONSE_HOURS_DEFAULT, server_default=str(RESPONSE_HOURS_DEFAULT)
    )
    on_vacation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Suspended by the platform's operator (services/shops/api/operator.py): its listings
    # leave search, checkout refuses them, and its members read why.
    suspended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    suspension_reason: Mapped[str | None] = mapped_column(Text)
    # Increases with every change of the members (shop.members_changed); 0: never announced.
    members_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The shop's logo and banner, as a listing's photos are kept (ListingImage's fields).
    logo: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    banner: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        CheckConstraint("order_handling IN ('manual', 'auto_accept')", name="order_handling"),
    )

    def settings(self) -> ShopSettings:
        return ShopSettings(**{name: getattr(self, name) for name in ShopSettings.names()})


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
    publisher: Mapped[str | None] = mapped_column(String(300))
    year: Mapped[int | None] = mapped_column(Integer)
    binding: Mapped[str | None] = mapped_column(String(100))
    condition: Mapped[str | None] = mapped_column(String(100))
    condition_notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="")
    categories: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    photos: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Uploaded photos, cover first: ListingImage's fields (services/common/contracts.py).
    images: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    price_amount: Mapped[int] = mapped_column(Integer)
    price_currency: Mapped[str] = mapped_column(String(3))
    quantity: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

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
    placed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # When a pending order is declined for the shop's silence; None for auto-accepted ones.
    respond_by: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    signed_by: Mapped[str | None] = mapped_column(String(200))
    carrier: Mapped[str | None] = mapped_column(String(100))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    shipped_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # The shop's latest extra charge proposal (domain/orders.py), and the sum of those the
    # buyer accepted, in the order's currency.
    extra_charge_id: Mapped[str | None] = mapped_column(String(36))
    extra_charge_amount: Mapped[int | None] = mapped_column(Integer)
    extra_charge_reason: Mapped[str | None] = mapped_column(Text)
    extra_charge_status: Mapped[str | None] = mapped_column(String(10))
    extra_charge_proposed_by: Mapped[str | None] = mapped_column(String(200))
    extra_charge_proposed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    extra_charge_answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    extra_charged_amount: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Where the parcel goes (contracts.PostalAddress), this part's own copy; None for parts
    # placed before addresses travelled with orders (order.placed version 1). After its
    # retention period only the country is left, and address_erased_at says when.
    delivery_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    address_erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When the shop was reminded that the answer is due; cleared when a new window starts.
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The buyer's money as the orders side reported it (domain PaymentStatus): None until
    # order.payment_captured or order.payment_failed arrives. Nothing ships before captured.
    payment_status: Mapped[str | None] = mapped_column(String(10))
    payment_confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The service the buyer chose and its estimate (None before buyers chose), or collection
    # in person: such a part has no delivery address, and the shop says when it is ready.
    delivery_service: Mapped[str | None] = mapped_column(String(40))
    delivery_service_name: Mapped[str | None] = mapped_column(String(80))
    delivery_days_min: Mapped[int | None] = mapped_column(Integer)
    delivery_days_max: Mapped[int | None] = mapped_column(Integer)
    collection: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    ready_to_collect_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'shipped', 'cancelled')",
            name="status",
        ),
    )


class UploadJob(Base):
    """An inventory file a seller sent; the worker applies it a chunk of rows at a time."""

    __tablename__ = "upload_job"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shop.id"), index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(300), default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    # Rows read so far, rejected ones included: where a restarted worker picks up again.
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    rows_created: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    unknown_columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    failure: Mapped[str | None] = mapped_column(Text)
    # "Purge and replace": the file is the shop's whole inventory; listings it does not
    # name are withdrawn. Such a job waits, queued, until the seller has seen how many
    # (`to_withdraw`) and confirmed.
    replace_all: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    to_withdraw: Mapped[int | None] = mapped_column(Integer)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    rows_withdrawn: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
    )


class PhotoFetch(Base):
    """A photo an inventory file names by its address, for the worker to fetch and add."""

    __tablename__ = "photo_fetch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(String(36), index=True)
    listing_id: Mapped[str] = mapped_column(String(36))
    line: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(Text)
    # pending, then done or failed (the reason is in the upload job's errors).
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class UploadChunk(Base):
    """The uploaded file itself, in pieces, so web and worker replicas need no shared disk."""

    __tablename__ = "upload_chunk"

    job_id: Mapped[str] = mapped_column(ForeignKey("upload_job.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


# The customer book groups a shop's orders by buyer.
Index("ix_shop_order_shop_id_buyer_user_id", ShopOrder.shop_id, ShopOrder.buyer_user_id)


class ShopCustomer(Base):
    """What a shop privately remembers of one of its buyers; the orders say the rest."""

    __tablename__ = "shop_customer"

    shop_id: Mapped[str] = mapped_column(ForeignKey("shop.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))


class ApiToken(Base):
    """A shop's personal access token (domain/tokens.py): only the secret's hash is kept."""

    __tablename__ = "api_token"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shop.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the secret, so the owner can tell tokens apart in the portal.
    hint: Mapped[str] = mapped_column(String(12))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class IdempotentRequest(Base):
    """A public API write sent with an Idempotency-Key, and the answer it got.

    Written in the transaction of the write itself, so a retried request either finds the
    answer or finds nothing done.
    """

    __tablename__ = "idempotent_request"

    shop_id: Mapped[str] = mapped_column(ForeignKey("shop.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    # What was asked (method, path and body, hashed): the same key with other content is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class WebhookEndpoint(Base):
    """Where a shop wants to be told of its events (webhooks/), and how that is going."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shop.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Signs each delivery (HMAC-SHA256); shown to the owner, who checks signatures with it.
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Set at the first failure of a run of failures, cleared by a success: an endpoint
    # failing for WEBHOOK_GIVE_UP_HOURS is switched off (disabled_at) and its owner told.
    failing_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    disabled_reason: Mapped[str | None] = mapped_column(Text)


class WebhookDelivery(Base):
    """One event for one endpoint: written in the transaction of the event's effect (an
    outbox per endpoint), sent and retried by the webhooks process."""

    __tablename__ = "webhook_delivery"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoint.id"), index=True)
    shop_id: Mapped[str] = mapped_column(String(36), index=True)
    event_type: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # While a sender holds it; another sender (another replica) leaves it alone till then.
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
    )


class OperatorAction(OperatorActionMixin, Base):
    """What the platform's operators did here (services/common/operator_audit.py)."""
