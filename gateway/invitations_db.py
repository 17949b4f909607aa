"""The gateway's table of invitations to work in a shop, on the accounts' metadata.

An invitation is addressed to an e-mail address, whether or not an account uses it: the
owner who invites cannot tell a known address from an unknown one, and nobody joins a shop
without accepting.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base
from services.common.clock import utcnow
from services.common.db import UtcDateTime


class StaffInvitation(Base):
    __tablename__ = "staff_invitations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    shop_name: Mapped[str] = mapped_column(String(200))
    # Normalized as accounts store it; the invitee sees the invitation once signed in with it.
    email: Mapped[str] = mapped_column(String(320), index=True)
    role: Mapped[str] = mapped_column(String(20), default="staff")
    invited_by: Mapped[str] = mapped_column(String(36))
    # "pending", then "accepted", "declined" or "cancelled".
    status: Mapped[str] = mapped_column(String(20), default="pending")
    # A hash of the single-use token the invitation mail's link will carry; never the token.
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
