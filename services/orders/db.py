"""The orders service's tables. Nobody but this service reads or writes them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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

metadata = make_metadata()


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
    """A shop's answer that contradicted the part's state (services/common/conflicts.py)."""


class CartLine(Base):
    """One listing in a buyer's cart, at the price the buyer was last shown."""

    __tablename__ = "cart_lines"
    __table_args__ = (UniqueConstraint("user_id", "listing_id", name="uq_cart_lines_user_listing"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    listing_id: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[str] = mapped_column(String(64))
    shop_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_amount: Mapped[int] = mapped_column(BigInteger)
    unit_price_currency: Mapped[str] = mapped_column(String(3))
    # The shop's country and shipping rates when the line was last checked, for the cart's
    # shipping quote; checkout reads them again from the shop.
    shop_country: Mapped[str | None] = mapped_column(String(2))
    shipping_rates: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Cart(Base):
    """What a buyer's cart knows besides its lines: the country it would ship to."""

    __tablename__ = "carts"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str | None] = mapped_column(String(2))
    # The service the buyer chose per shop in the cart ({shop_id: code or "pickup"}).
    delivery_choices: Mapped[dict[str, str] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Order(Base):
    __tablename__ = "orders"
    # A retried checkout carries the same key and finds the order the first try made.
    __table_args__ = (
        UniqueConstraint("buyer_user_id", "idempotency_key", name="uq_orders_buyer_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    buyer_user_id: Mapped[str] = mapped_column(String(64), index=True)
    buyer_name: Mapped[str] = mapped_column(String(200))
    idempotency_key: Mapped[str] = mapped_column(String(100))
    shipping_name: Mapped[str] = mapped_column(String(200))
    shipping_address: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    # The structured address (contracts.PostalAddress) the parts' copies were made from;
    # None for orders placed before addresses were structured. After its retention period
    # it holds the country alone, and address_erased_at says when that happened.
    delivery_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    address_erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    total_amount: Mapped[int] = mapped_column(BigInteger)
    total_currency: Mapped[str] = mapped_column(String(3))
    placed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    # The one authorization of the order's total; only the card's last four digits are kept.
    payment_provider: Mapped[str | None] = mapped_column(String(20))
    authorization_id: Mapped[str | None] = mapped_column(String(64))
    card_last4: Mapped[str | None] = mapped_column(String(4))

    parts: Mapped[list[ShopOrder]] = relationship(
        back_populates="order", order_by="ShopOrder.position", lazy="selectin"
    )


class ShopOrder(Base):
    """One shop's part of an order; its id is the shop_order_id in every event."""

    __tablename__ = "shop_orders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    # The part's place in the order, so parts always read in the order the cart had them.
    position: Mapped[int] = mapped_column(Integer)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    shop_name: Mapped[str] = mapped_column(String(200))
    # [{listing_id, title, quantity, unit_price: {amount, currency}}], fixed at checkout.
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_amount: Mapped[int] = mapped_column(BigInteger)
    shipping_amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    signed_by: Mapped[str | None] = mapped_column(String(200))
    carrier: Mapped[str | None] = mapped_column(String(100))
    tracking_number: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # The part's payments ledger, in the part's currency.
    authorized_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    captured_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    voided_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    capture_id: Mapped[str | None] = mapped_column(String(64))
    payment_error: Mapped[str | None] = mapped_column(Text)
    # The platform's commission rate at the time of sale, so a later change of rate never
    # rewrites what a shop already sold.
    commission_bps: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Extra charges the buyer accepted, in the part's currency; part of its total.
    extra_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The buyer asked to cancel, and why; the shop side decides (shop_order.cancelled or
    # shop_order.cancellation_refused), the status follows its answer.
    cancellation_requested_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # The shipping service the buyer chose and its estimate in days (None for parts placed
    # before buyers chose), or collection in person at the shop.
    delivery_service: Mapped[str | None] = mapped_column(String(40))
    delivery_service_name: Mapped[str | None] = mapped_column(String(80))
    delivery_days_min: Mapped[int | None] = mapped_column(Integer)
    delivery_days_max: Mapped[int | None] = mapped_column(Integer)
    collection: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    order: Mapped[Order] = relationship(back_populates="parts")
    timeline: Mapped[list[TimelineEntry]] = relationship(
        order_by="TimelineEntry.id", lazy="selectin"
    )
    extra_charges: Mapped[list[ExtraCharge]] = relationship(
        order_by="ExtraCharge.proposed_at", lazy="selectin"
    )


class ExtraCharge(Base):
    """A shop's proposal to charge more for its part, and the buyer's answer
    (domain/extra_charge.py). The id is the shop's proposal id, so a redelivered proposal
    is recorded once."""

    __tablename__ = "extra_charges"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shop_order_id: Mapped[str] = mapped_column(ForeignKey("shop_orders.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(Text)
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answer_by: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    # open, accepted, refused, expired or withdrawn
    status: Mapped[str] = mapped_column(String(10), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class TimelineEntry(Base):
    """When a part entered a status. A part enters each status at most once."""

    __tablename__ = "shop_order_timeline"
    __table_args__ = (
        UniqueConstraint("shop_order_id", "status", name="uq_shop_order_timeline_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_order_id: Mapped[str] = mapped_column(ForeignKey("shop_orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class SavedAddress(Base):
    """An address in a buyer's address book; at most one per buyer is the default, the one
    checkout starts from."""

    __tablename__ = "saved_addresses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    # contracts.PostalAddress, as checked when it was saved.
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class EmbeddedPaymentOperation(Base):
    """The embedded test payment provider's record of what it did (payments/embedded.py)."""

    __tablename__ = "test_payment_operations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # authorization, capture, void or refund
    kind: Mapped[str] = mapped_column(String(20))
    authorization_id: Mapped[str | None] = mapped_column(String(36), index=True)
    capture_id: Mapped[str | None] = mapped_column(String(36), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    fails_capture: Mapped[bool] = mapped_column(Boolean, default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PaymentHold(Base):
    """An authorization made for a buyer's checkout, keyed by the buyer's checkout key, so
    a retried checkout finds and reuses it; `order_id` is set in the order's transaction.
    One with neither an order nor a void after a few minutes belongs to a checkout that
    died: a job voids it (use_cases/holds.py)."""

    __tablename__ = "payment_holds"
    __table_args__ = (
        # Looked up by every checkout of the buyer's key.
        Index("ix_payment_holds_buyer_key", "buyer_user_id", "checkout_key"),
        # The order's transaction marks its hold by the authorization: without this index
        # every checkout would read the whole table.
        Index("ix_payment_holds_authorization_id", "authorization_id"),
        # The orphan job looks at open holds only; the used and voided ones, nearly all
        # of them, stay out of this index, so its cost does not grow with the orders.
        Index(
            "ix_payment_holds_open",
            "created_at",
            sqlite_where=text("order_id IS NULL AND voided_at IS NULL"),
            postgresql_where=text("order_id IS NULL AND voided_at IS NULL"),
        ),
    )

    # The key the provider knows the authorization by: checkout:<buyer>:<key>:<attempt>.
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    buyer_user_id: Mapped[str] = mapped_column(String(64))
    checkout_key: Mapped[str] = mapped_column(String(100))
    authorization_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    order_id: Mapped[str | None] = mapped_column(String(36))
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ShopLedgerEntry(Base):
    """Money owed to or by a shop: a sale, the platform's commission, a refund.

    Amounts are signed from the shop's point of view: a sale is positive, the commission
    and a refund negative, the commission given back on a refund positive.
    """

    __tablename__ = "shop_ledger_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    order_id: Mapped[str] = mapped_column(String(36))
    shop_order_id: Mapped[str] = mapped_column(ForeignKey("shop_orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Review(Base):
    """A buyer's review of the shop that sent one part of their order, and the shop's answer.

    Only the id, the reviewer's display name, the texts and the dates are ever shown to
    others; the buyer and the part stay private.
    """

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("shop_order_id", name="uq_reviews_shop_order_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shop_order_id: Mapped[str] = mapped_column(ForeignKey("shop_orders.id"))
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    buyer_user_id: Mapped[str] = mapped_column(String(64), index=True)
    reviewer_name: Mapped[str] = mapped_column(String(200))
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Hidden by the platform's operator (services/orders/operator_api.py), with the reason
    # shown instead; a hidden review is left out of the public list and the reputation.
    hidden_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(Text)


class ShopReviewTally(Base):
    """One row per reviewed shop, locked while a review is added: two reviews of one shop
    posted at once are counted one after the other, so each gets its own revision."""

    __tablename__ = "shop_review_tallies"

    shop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    reviews: Mapped[int] = mapped_column(Integer, default=0)


class Conversation(Base):
    """A thread between one shopper and one shop: about a part of an order (shop_order_id)
    or a question about a listing (listing_id). Each side counts what it has not read."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("shop_order_id", name="uq_conversations_shop_order_id"),
        # One question thread per shopper and listing: asking again continues it.
        UniqueConstraint(
            "listing_id", "shopper_user_id", name="uq_conversations_listing_id_shopper"
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    topic: Mapped[str] = mapped_column(String(20))
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    shop_name: Mapped[str] = mapped_column(String(200))
    shopper_user_id: Mapped[str] = mapped_column(String(64), index=True)
    shopper_name: Mapped[str] = mapped_column(String(200))
    order_id: Mapped[str | None] = mapped_column(String(36))
    shop_order_id: Mapped[str | None] = mapped_column(ForeignKey("shop_orders.id"))
    listing_id: Mapped[str | None] = mapped_column(String(64))
    # The listing's title or the order's items, as they were when the thread began.
    subject: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_message_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    shopper_unread: Mapped[int] = mapped_column(Integer, default=0)
    shop_unread: Mapped[int] = mapped_column(Integer, default=0)


class ConversationMessage(Base):
    """One message, plain text; the author's side and display name as they were then."""

    __tablename__ = "conversation_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    author_side: Mapped[str] = mapped_column(String(10))
    author_user_id: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ShopMembership(Base):
    """Who belongs to a shop, as the shops service last said (`shop.members_changed`).

    The shops service owns membership; this copy lets every request here check it without
    asking, so a member the owner removed loses the shop's statement and messages at once.
    """

    __tablename__ = "shop_memberships"

    shop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    user_ids: Mapped[list[str]] = mapped_column(JSON)


class PartRefund(Base):
    """Money given back to the buyer for one part: the items and the shipping separately.

    `idempotency_key` is the caller's (a retried request, a redelivered message): a second
    refund with the same key for the same part is the first one, and moves nothing.
    """

    __tablename__ = "part_refunds"
    __table_args__ = (
        UniqueConstraint("shop_order_id", "idempotency_key", name="uq_part_refunds_part_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shop_order_id: Mapped[str] = mapped_column(ForeignKey("shop_orders.id"), index=True)
    order_id: Mapped[str] = mapped_column(String(36), index=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(100))
    items_amount: Mapped[int] = mapped_column(BigInteger)
    shipping_amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    # The commission given back to the shop with it, at the rate frozen at sale.
    commission_amount: Mapped[int] = mapped_column(BigInteger)
    # shop or platform: who decided it, and (for the shop) which member.
    decided_by: Mapped[str] = mapped_column(String(10))
    decided_by_name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    case_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class AfterSaleCase(Base):
    """A buyer's problem with a shipped part (domain/aftersale.py); one open at a time per
    part, its messages in the part's conversation, its steps in `case_events`."""

    __tablename__ = "after_sale_cases"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shop_order_id: Mapped[str] = mapped_column(ForeignKey("shop_orders.id"), index=True)
    order_id: Mapped[str] = mapped_column(String(36))
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    buyer_user_id: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), index=True)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answer_by: Mapped[datetime] = mapped_column(UtcDateTime)
    shop_answered: Mapped[bool] = mapped_column(Boolean, default=False)
    return_address: Mapped[str | None] = mapped_column(Text)
    return_carrier: Mapped[str | None] = mapped_column(String(100))
    return_tracking: Mapped[str | None] = mapped_column(String(200))
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    # The platform's decision: refund or close, with the reason both sides read.
    decision: Mapped[str | None] = mapped_column(String(10))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    events: Mapped[list[CaseEvent]] = relationship(order_by="CaseEvent.id", lazy="selectin")


class CaseEvent(Base):
    """One step of a case, as both sides and the operator read it."""

    __tablename__ = "after_sale_case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("after_sale_cases.id"), index=True)
    # buyer, shop or platform
    side: Mapped[str] = mapped_column(String(10))
    author_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReviewReport(Base):
    """A shop or a buyer asks the platform to look at a review; the operator hides it or
    keeps it (`outcome`)."""

    __tablename__ = "review_reports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id"), index=True)
    # shop or buyer
    reporter_side: Mapped[str] = mapped_column(String(10))
    reporter_user_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    outcome: Mapped[str | None] = mapped_column(String(10), index=True)
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class OperatorAction(OperatorActionMixin, Base):
    """What the platform's operators did here (services/common/operator_audit.py)."""
