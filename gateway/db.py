"""The gateway's tables: people's accounts, failed log-in attempts, the single-use tokens
sent by mail, and the outbox of account events. Nothing else is kept here; shops, listings,
carts and orders belong to the services."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.clock import utcnow
from services.common.db import UtcDateTime, make_metadata
from services.common.messaging.tables import OutboxMixin

metadata = make_metadata()


class Base(DeclarativeBase):
    metadata = metadata


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    # Stored lowercased, so "Ada@Example.org" and "ada@example.org" are one account.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Every session remembers the version it was opened with; bumping it ends them all.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # True once the person followed a link sent to `email`: needed to open a shop.
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    # One of the platform's operators (gateway/operators.py): made only from the command
    # line, never a shopper or a member of a shop; the pages at /admin/ are theirs.
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Increases with every change others learn of (`account.updated`), so an older copy of
    # the account never replaces a newer one.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class LoginFailure(Base):
    """One failed log-in, kept for the rate-limit window and pruned after it."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class AccountToken(Base):
    """A single-use token sent by mail (verify an address, reset a password).

    Only its SHA-256 is kept: the token itself is a random 256-bit value that lives only in
    the mail, so a copy of this table opens no account. `email` is the address the token
    proves (a new address, for a change of address).
    """

    __tablename__ = "account_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class OutboxMessage(OutboxMixin, Base):
    """Account events, written in the transaction of the change; `gateway.worker` relays them."""
