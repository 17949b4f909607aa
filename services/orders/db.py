"""The orders service's tables. Nobody but this service reads or writes them."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from services.common.db import make_metadata
from services.common.messaging.tables import InboxMixin, OutboxMixin

metadata = make_metadata()


class Base(DeclarativeBase):
    metadata = metadata


class OutboxMessage(OutboxMixin, Base):
    pass


class InboxMessage(InboxMixin, Base):
    pass
