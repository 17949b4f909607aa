"""A tiny service used only to test the messaging library on a real broker and database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from services.common.contracts import Envelope, ShopUpdated
from services.common.db import make_engine, make_metadata, make_session_factory
from services.common.messaging.tables import (
    InboxMixin,
    MessageFailureMixin,
    OutboxMixin,
    ParkedMessageMixin,
    add_to_outbox,
)
from services.common.messaging.topology import Topology
from services.common.runtime import Runtime, build_worker
from services.common.settings import CommonSettings


class Base(DeclarativeBase):
    metadata = make_metadata()


class Outbox(OutboxMixin, Base):
    pass


class Inbox(InboxMixin, Base):
    pass


class MessageFailure(MessageFailureMixin, Base):
    pass


class ParkedMessage(ParkedMessageMixin, Base):
    pass


class SeenShop(Base):
    """One row per applied ShopUpdated: a duplicate application would show as a second row."""

    __tablename__ = "seen_shop"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(100))


@dataclass
class MessagingFixture:
    runtime: Runtime
    fail_names: set[str]

    def publish_via_outbox(self, *events: ShopUpdated) -> None:
        with self.runtime.session_factory.begin() as session:
            for event in events:
                add_to_outbox(session, Outbox, event)

    def seen(self) -> list[str]:
        with self.runtime.session_factory() as session:
            return list(session.scalars(select(SeenShop.name).order_by(SeenShop.id)))

    def unsent(self) -> int:
        with self.runtime.session_factory() as session:
            query = select(func.count()).select_from(Outbox).where(Outbox.sent_at.is_(None))
            return session.scalar(query)

    def worker(self):
        return build_worker(
            self.runtime,
            outbox_model=Outbox,
            inbox_model=Inbox,
            handlers={ShopUpdated: self.record},
        )

    def record(self, session: Session, event: ShopUpdated, _envelope: Envelope) -> None:
        if event.name in self.fail_names:
            raise RuntimeError(f"cannot handle {event.name}")
        session.add(SeenShop(shop_id=event.shop_id, name=event.name))


def build(database_url: str, amqp_url: str, prefix: str) -> MessagingFixture:
    # Parked after three failures of its handler; the broker's backstop stays far above.
    settings = CommonSettings(
        amqp_url=amqp_url, amqp_prefix=prefix, amqp_delivery_limit=50, message_park_after=3
    )
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    runtime = Runtime(
        # The queue bound to shop.updated belongs to the catalog in the real topology.
        service="catalog",
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        topology=Topology(prefix=prefix, delivery_limit=50),
    )
    return MessagingFixture(runtime=runtime, fail_names=set())


def shop_event(name: str) -> ShopUpdated:
    return ShopUpdated(shop_id="s-" + name, slug=name, name=name, signature=f"{name}, bookseller")


def parked(fixture: MessagingFixture) -> list[tuple[str, str, int]]:
    """(event type, reason, failures) of each parked message, oldest first."""
    with fixture.runtime.session_factory() as session:
        query = select(ParkedMessage.event_type, ParkedMessage.reason, ParkedMessage.failures)
        return [tuple(row) for row in session.execute(query.order_by(ParkedMessage.parked_at))]
