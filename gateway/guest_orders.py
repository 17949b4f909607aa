"""Orders placed without an account: the address to write to, and the signed link that
opens the order.

The guest's order lives in the orders service under the browser's guest id, like its cart
(gateway/guest_cart.py). The link carries the order's id and that guest id, signed with the
gateway's secret, so whoever holds it (the person, from the confirmation page or a mail)
can read that order and nothing else.
"""

from __future__ import annotations

from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from gateway import account_services
from gateway.db import Base
from services.common.clock import utcnow
from services.common.db import UtcDateTime

SALT = "guest-order"


class GuestOrder(Base):
    """Who to tell about an order placed without an account."""

    __tablename__ = "guest_orders"

    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    guest_id: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def remember(session: Session, *, order_id: str, guest_id: str, email: str, link: str) -> None:
    """Keep the guest's address for the order and mail them its link, in one transaction
    (once: a retried checkout finds it there and mails nothing more)."""
    if session.get(GuestOrder, order_id) is None:
        session.add(GuestOrder(order_id=order_id, guest_id=guest_id, email=email))
        account_services.notify_guest_order(session, email=email, link=link)
    session.commit()


def link_token(secret: str, *, order_id: str, guest_id: str) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps([order_id, guest_id])


def read_token(secret: str, token: str) -> tuple[str, str] | None:
    """The order id and guest id a link names, or None for a link not made here."""
    try:
        value = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        return None
    return value[0], value[1]
