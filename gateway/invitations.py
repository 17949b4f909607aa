"""Inviting someone to work in a shop: by e-mail address, accepted by that person.

The owner learns nothing about the address (the answer is the same whether an account uses
it or not), and nobody is added to a shop without saying yes. The invitee sees the
invitation on their notifications page and in the portal once signed in with that address,
and is told by mail (an `account.notice` staged in the invitation's transaction).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.invitations_db import StaffInvitation
from services.common.clock import as_utc

log = logging.getLogger(__name__)

VALID_FOR = timedelta(days=14)


class InvitationGone(Exception):
    """Not an invitation to this person, or no longer open (answered, cancelled, expired)."""


@dataclass(frozen=True)
class Invited:
    invitation: StaffInvitation
    # The single-use token for the mail's link; only its hash is stored.
    token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(
    session: Session,
    *,
    shop_id: str,
    shop_name: str,
    email: str,
    invited_by: str,
    now: datetime,
    role: str = "staff",
) -> Invited:
    """A fresh invitation of `email` (already normalized); one asked again replaces the
    open one, so the newest link is the one that works."""
    for earlier in _open(session, email=email, now=now, shop_id=shop_id):
        earlier.status = "cancelled"
        earlier.answered_at = now
    token = secrets.token_urlsafe(32)
    invitation = StaffInvitation(
        shop_id=shop_id,
        shop_name=shop_name,
        email=email,
        role=role,
        invited_by=invited_by,
        status="pending",
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + VALID_FOR,
    )
    session.add(invitation)
    session.flush()
    return Invited(invitation=invitation, token=token)


def open_for_shop(session: Session, *, shop_id: str, now: datetime) -> list[StaffInvitation]:
    return _open(session, shop_id=shop_id, now=now)


def open_for_email(session: Session, *, email: str, now: datetime) -> list[StaffInvitation]:
    return _open(session, email=email, now=now)


def _open(
    session: Session, *, now: datetime, email: str | None = None, shop_id: str | None = None
) -> list[StaffInvitation]:
    query = select(StaffInvitation).where(
        StaffInvitation.status == "pending", StaffInvitation.expires_at > now
    )
    if email is not None:
        query = query.where(StaffInvitation.email == email)
    if shop_id is not None:
        query = query.where(StaffInvitation.shop_id == shop_id)
    return list(session.scalars(query.order_by(StaffInvitation.created_at)))


def find_open(
    session: Session, invitation_id: str, *, email: str, now: datetime
) -> StaffInvitation:
    """The open invitation `invitation_id` addressed to `email`, or InvitationGone."""
    invitation = session.get(StaffInvitation, invitation_id)
    if (
        invitation is None
        or invitation.email != email
        or invitation.status != "pending"
        or as_utc(invitation.expires_at) <= now
    ):
        raise InvitationGone("This invitation is no longer open.")
    return invitation


def answer(invitation: StaffInvitation, *, accepted: bool, now: datetime) -> None:
    invitation.status = "accepted" if accepted else "declined"
    invitation.answered_at = now


def cancel(session: Session, invitation_id: str, *, shop_id: str, now: datetime) -> None:
    invitation = session.get(StaffInvitation, invitation_id)
    if invitation is None or invitation.shop_id != shop_id or invitation.status != "pending":
        raise InvitationGone("This invitation is no longer open.")
    invitation.status = "cancelled"
    invitation.answered_at = now
