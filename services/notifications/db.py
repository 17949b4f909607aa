"""The notifications service's tables. Nobody but this service reads or writes them.

What it knows of people and shops it learned from events: a person's address from
`account.updated`, a shop's members from `shop.members_changed`, an order part's buyer
and contents from `order.placed` and `order.confirmed`. The mails it made, and their
delivery state, are its own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.clock import utcnow
from services.common.db import UtcDateTime, make_metadata
from services.common.messaging.tables import (
    InboxMixin,
    MessageFailureMixin,
    OutboxMixin,
    ParkedMessageMixin,
)

metadata = make_metadata()


class Base(DeclarativeBase):
    metadata = metadata


class OutboxMessage(OutboxMixin, Base):
    """Unused so far (the service publishes nothing), kept so the worker is built as
    every other one is."""


class InboxMessage(InboxMixin, Base):
    pass


class MessageFailure(MessageFailureMixin, Base):
    pass


class ParkedMessage(ParkedMessageMixin, Base):
    pass


class Person(Base):
    """A person's address as the gateway last announced it."""

    __tablename__ = "people"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class MutedKind(Base):
    """A kind of mail a person turned off."""

    __tablename__ = "muted_kinds"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    muted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class KnownShop(Base):
    """A shop's name and who belongs to it now (`shop.members_changed`)."""

    __tablename__ = "shops"

    shop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    members: Mapped[list[str]] = mapped_column(JSON, default=list)
    members_revision: Mapped[int] = mapped_column(Integer, default=0)


class KnownPart(Base):
    """One shop's part of an order: who bought it, what, and for how much."""

    __tablename__ = "order_parts"

    shop_order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(64), index=True)
    shop_id: Mapped[str] = mapped_column(String(64))
    buyer_user_id: Mapped[str] = mapped_column(String(64))
    buyer_name: Mapped[str] = mapped_column(String(200))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    subtotal_amount: Mapped[int] = mapped_column(Integer)
    shipping_amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    # Money the buyer agreed to add (accepted extra charges), released too on a decline.
    extra_amount: Mapped[int] = mapped_column(Integer, default=0)
    # The service the buyer chose and its estimate (contracts.Delivery), None before.
    delivery: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Mail(Base):
    """One mail to one person, made in the transaction that applied its event."""

    __tablename__ = "mails"
    __table_args__ = (
        UniqueConstraint("event_id", "recipient", "kind", name="uq_mails_event_recipient_kind"),
        Index("ix_mails_due", "status", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # Set for a mail to a bare address; a person's mail goes to their address at send time.
    email: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # A sender's claim on the mail until then; an expired claim is anyone's to take.
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When the event that caused the mail was committed by its publisher.
    event_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_to: Mapped[str | None] = mapped_column(String(320))
    last_error: Mapped[str | None] = mapped_column(Text)


class RefusedAddress(Base):
    """An address a mail server refused for good; shown to its owner."""

    __tablename__ = "refused_addresses"

    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    smtp_code: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    refused_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WaitingMatch(Base):
    """A want match not yet mailed: gathered into one mail per person at most hourly."""

    __tablename__ = "waiting_matches"

    match_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    match: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MatchDigest(Base):
    """When a person was last sent their gathered want matches."""

    __tablename__ = "match_digests"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    count: Mapped[int] = mapped_column(Integer, default=0)
