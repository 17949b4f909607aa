"""The shops worker: consumes orders for the shops, relays the outbox, runs timers.

python -m services.shops.worker
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from services.common.contracts import (
    Envelope,
    MessagePosted,
    OrderCancellationRequested,
    OrderCancelled,
    OrderExtraChargeAnswered,
    OrderPaymentCaptured,
    OrderPaymentFailed,
    OrderPlaced,
    OrderPlacedV2,
    ReviewPosted,
)
from services.common.logs import configure_logging
from services.common.messaging.worker import PeriodicJob, Worker
from services.common.photo_store import PhotoSettings, photo_store
from services.common.runtime import Runtime, build_worker, serve
from services.shops import saga, stock
from services.shops.address_retention import erase_expired_addresses
from services.shops.bootstrap import bootstrap
from services.shops.config import Settings
from services.shops.db import InboxMessage, OutboxMessage, ShopOrder
from services.shops.deadlines import decline_overdue
from services.shops.domain.orders import ShopOrderStatus
from services.shops.handlers.orders import record_extra_charge_answer
from services.shops.notices import announce_unannounced_members, remind_before_deadline
from services.shops.photos.fetch import PhotoFetcher, http_fetcher
from services.shops.uploads.processor import UploadProcessor
from services.shops.webhooks.events import tell_about_order
from services.shops.webhooks.retention import forget_old
from services.shops.webhooks.store import queue_event

# Declining an unanswered order a few seconds late is fine; its window is hours long.
DEADLINE_CHECK_SECONDS = 15.0
# Addresses are kept for days (ADDRESS_RETENTION_DAYS): erasing them hourly is on time.
ADDRESS_RETENTION_CHECK_SECONDS = 3600.0


def on_order_placed(session: Session, event: OrderPlaced, _envelope: Envelope) -> None:
    stock.place_order(session, event)
    tell_about_order(
        session,
        event_type="order.placed",
        shop_id=event.shop_id,
        shop_order_id=event.shop_order_id,
    )


def on_order_cancelled(session: Session, event: OrderCancelled, envelope: Envelope) -> None:
    stock.cancel_order(session, event, envelope)
    tell_about_order(
        session,
        event_type="order.cancelled",
        shop_id=event.shop_id,
        shop_order_id=event.shop_order_id,
    )


def on_extra_charge_answered(
    session: Session, event: OrderExtraChargeAnswered, _envelope: Envelope
) -> None:
    record_extra_charge_answer(session, event)
    tell_about_order(
        session,
        event_type="extra_charge.answered",
        shop_id=event.shop_id,
        shop_order_id=event.shop_order_id,
    )


def on_payment_captured(session: Session, event: OrderPaymentCaptured, envelope: Envelope) -> None:
    if saga.on_payment_captured(session, event, envelope):
        tell_about_order(
            session,
            event_type="order.paid",
            shop_id=event.shop_id,
            shop_order_id=event.shop_order_id,
        )


def on_payment_failed(session: Session, event: OrderPaymentFailed, envelope: Envelope) -> None:
    was = status_of(session, event.shop_order_id)
    saga.on_payment_failed(session, event, envelope)
    tell_if_status_changed(session, event.shop_id, event.shop_order_id, was=was)


def on_cancellation_requested(
    session: Session, event: OrderCancellationRequested, envelope: Envelope
) -> None:
    was = status_of(session, event.shop_order_id)
    saga.on_cancellation_requested(session, event, envelope)
    tell_if_status_changed(session, event.shop_id, event.shop_order_id, was=was)


def status_of(session: Session, shop_order_id: str) -> str | None:
    order = session.get(ShopOrder, shop_order_id)
    return order.status if order is not None else None


def tell_if_status_changed(
    session: Session, shop_id: str, shop_order_id: str, *, was: str | None
) -> None:
    """The saga cancels orders the orders side no longer announces with order.cancelled (a
    failed payment, a granted cancellation): the shop's webhooks hear of those as such."""
    session.flush()
    if was != ShopOrderStatus.CANCELLED == status_of(session, shop_order_id):
        tell_about_order(
            session, event_type="order.cancelled", shop_id=shop_id, shop_order_id=shop_order_id
        )


def on_review_posted(session: Session, event: ReviewPosted, _envelope: Envelope) -> None:
    data = event.model_dump(mode="json", include={"review_id", "shop_order_id", "rating", "text"})
    queue_event(session, shop_id=event.shop_id, event_type="review.posted", data=data)


def on_message_posted(session: Session, event: MessagePosted, _envelope: Envelope) -> None:
    # The shop's own messages are not news to it: only the buyer's are passed on.
    if event.from_side == "buyer":
        data = event.model_dump(mode="json", exclude={"shop_id"})
        queue_event(session, shop_id=event.shop_id, event_type="message.received", data=data)


HANDLERS = {
    # Version 2 carries the part's delivery address; version 1 messages may still be queued.
    OrderPlaced: on_order_placed,
    OrderPlacedV2: on_order_placed,
    OrderCancelled: on_order_cancelled,
    OrderExtraChargeAnswered: on_extra_charge_answered,
    OrderPaymentCaptured: on_payment_captured,
    OrderPaymentFailed: on_payment_failed,
    OrderCancellationRequested: on_cancellation_requested,
    ReviewPosted: on_review_posted,
    MessagePosted: on_message_posted,
}


def build(runtime: Runtime) -> Worker:
    uploads = UploadProcessor(runtime.session_factory)
    settings = runtime.settings
    assert isinstance(settings, Settings), "the shops runtime carries the shops settings"
    photos = PhotoFetcher(
        runtime.session_factory,
        photo_store(PhotoSettings(data_dir=settings.data_dir)),
        http_fetcher(
            timeout=settings.photo_fetch_timeout,
            allow_private=settings.photo_fetch_allow_private,
        ),
    )
    retention_days = settings.address_retention_days
    reminder_lead = timedelta(hours=settings.answer_reminder_hours)
    jobs = [
        # Runs on every turn of the loop but returns within its budget, so heartbeats,
        # orders and the relay keep flowing while a large file is applied.
        PeriodicJob(every=0.0, run=uploads.run, name="uploads"),
        PeriodicJob(every=1.0, run=photos.run, name="photo-fetch"),
        PeriodicJob(
            every=DEADLINE_CHECK_SECONDS,
            run=lambda: (
                remind_before_deadline(runtime.session_factory, lead=reminder_lead),
                decline_overdue(runtime.session_factory),
            ),
            name="response-window",
        ),
        PeriodicJob(
            every=ADDRESS_RETENTION_CHECK_SECONDS,
            run=lambda: erase_expired_addresses(runtime.session_factory, days=retention_days),
            name="address-retention",
        ),
        PeriodicJob(
            every=ADDRESS_RETENTION_CHECK_SECONDS,
            run=lambda: forget_old(runtime.session_factory),
            name="public-api-retention",
        ),
        # Runs on start; after the first pass it finds no shop left to announce.
        PeriodicJob(
            every=3600.0,
            run=lambda: announce_unannounced_members(runtime.session_factory),
            name="announce-members",
        ),
    ]
    return build_worker(
        runtime,
        outbox_model=OutboxMessage,
        inbox_model=InboxMessage,
        handlers=HANDLERS,
        jobs=jobs,
    )


def main() -> None:
    runtime = bootstrap()
    configure_logging("shops-worker", runtime.settings.log_level)
    serve(runtime, build(runtime))


if __name__ == "__main__":
    main()
