"""The worker's event handlers: learn who is who, and make the mails each event calls for.

Handlers are thin: they look up the recipients this service learned from earlier events
and hand each mail to the Composer, all in the consumer's transaction (with the inbox row).
An event about a part or a shop this service never heard of makes no mail; it is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from services.common.contracts import (
    AccountDeleted,
    AccountNotice,
    AccountUpdated,
    Envelope,
    Event,
    MessagePosted,
    OrderConfirmed,
    OrderExtraChargeAnswered,
    OrderPaymentCaptured,
    OrderPlaced,
    OrderPlacedV2,
    ReviewPosted,
    ShopMembersChanged,
    ShopOrderAccepted,
    ShopOrderAwaitingAnswer,
    ShopOrderDeclined,
    ShopOrderExtraChargeProposed,
    ShopOrderReadyToCollect,
    ShopOrderShipped,
    ShopSuspensionChanged,
    ShopUpdated,
    ShopWebhookDisabled,
    WantMatched,
)
from services.notifications import directory
from services.notifications.compose import Composer
from services.notifications.db import (
    KnownPart,
    KnownShop,
    WaitingMatch,
)
from services.notifications.domain import Kind

log = logging.getLogger(__name__)

ACCOUNT_SUBJECTS = {
    "verify_email": "Confirm your e-mail address",
    "reset_password": "Reset your password",
    "password_changed": "Your password was changed",
    "email_changed": "Your e-mail address was changed",
    "signup_existing": "You already have an account",
    "staff_invitation": "You are invited to help run a shop",
    "guest_order": "Your order is placed: the link to follow it",
}


class NotificationHandlers:
    def __init__(self, composer: Composer) -> None:
        self.composer = composer
        self.links = composer.links

    def handlers(self) -> dict[type[Event], Callable[[Session, Any, Envelope], None]]:
        return {
            AccountUpdated: directory.account_updated,
            AccountDeleted: directory.account_deleted,
            AccountNotice: self.account_notice,
            ShopMembersChanged: directory.members_changed,
            ShopUpdated: directory.shop_updated,
            OrderPlaced: directory.order_placed,
            OrderPlacedV2: directory.order_placed,
            OrderConfirmed: self.order_confirmed,
            ShopOrderAwaitingAnswer: self.awaiting_answer,
            ShopOrderAccepted: self.accepted,
            ShopOrderDeclined: self.declined,
            ShopOrderShipped: self.shipped,
            ShopOrderReadyToCollect: self.ready_to_collect,
            ShopOrderExtraChargeProposed: self.extra_charge_proposed,
            OrderExtraChargeAnswered: self.extra_charge_answered,
            OrderPaymentCaptured: self.ready_to_ship,
            MessagePosted: self.message_posted,
            ReviewPosted: self.review_posted,
            WantMatched: self.want_matched,
            ShopWebhookDisabled: self.webhook_disabled,
            ShopSuspensionChanged: self.suspension_changed,
        }

    # --- to the buyer ---------------------------------------------------------------------

    def order_confirmed(self, session: Session, event: OrderConfirmed, envelope: Envelope) -> None:
        buyer = (event.buyer.user_id, event.buyer.name)
        lines = {
            p.shop_order_id: [line.model_dump(mode="json") for line in p.lines] for p in event.parts
        }
        directory.remember_parts(
            session,
            [
                {
                    "shop_order_id": part.shop_order_id,
                    "order_id": event.order_id,
                    "shop_id": part.shop_id,
                    "buyer": buyer,
                    "lines": lines[part.shop_order_id],
                    "subtotal": part.subtotal.amount,
                    "shipping": part.shipping.amount,
                    "currency": part.subtotal.currency,
                    "delivery": (
                        None if part.delivery is None else part.delivery.model_dump(mode="json")
                    ),
                }
                for part in event.parts
            ],
        )
        names = directory.shop_names(session, sorted({part.shop_id for part in event.parts}))
        sections = [
            {
                "shop_name": names[part.shop_id],
                "lines": lines[part.shop_order_id],
                "subtotal": part.subtotal,
                "shipping": part.shipping,
            }
            for part in event.parts
        ]
        self.composer.mail(
            session,
            **_from(envelope),
            kind=Kind.ORDER_CONFIRMED,
            user_id=event.buyer.user_id,
            subject=f"Your order is placed: {event.total.amount / 100:.2f} {event.total.currency}",
            template="order_confirmed",
            context={"sections": sections, "total": event.total},
            link=self.links.page(f"/orders/{event.order_id}"),
            link_label="See your order",
        )

    def accepted(self, session: Session, event: ShopOrderAccepted, envelope: Envelope) -> None:
        self._to_buyer(
            session,
            envelope,
            event.shop_order_id,
            kind=Kind.ORDER_ACCEPTED,
            subject="{shop} accepted your order",
            template="order_accepted",
        )

    def declined(self, session: Session, event: ShopOrderDeclined, envelope: Envelope) -> None:
        part = session.get(KnownPart, event.shop_order_id)
        released = None
        if part is not None:
            total = part.subtotal_amount + part.shipping_amount + (part.extra_amount or 0)
            released = {"amount": total, "currency": part.currency}
        self._to_buyer(
            session,
            envelope,
            event.shop_order_id,
            kind=Kind.ORDER_DECLINED,
            subject="{shop} could not take your order",
            template="order_declined",
            context={"reason": event.reason, "released": released},
        )

    def shipped(self, session: Session, event: ShopOrderShipped, envelope: Envelope) -> None:
        # A part collected in person is marked so by the same event: the buyer has it.
        collected = is_collection(session, event.shop_order_id)
        self._to_buyer(
            session,
            envelope,
            event.shop_order_id,
            kind=Kind.ORDER_SHIPPED,
            subject="You collected your order from {shop}"
            if collected
            else "{shop} shipped your order",
            template="order_shipped",
            context={
                "collected": collected,
                "note": event.note,
                "signed_by": event.signed_by,
                "carrier": event.carrier,
                "tracking_number": event.tracking_number,
                "expected": expected_arrival(session, event.shop_order_id, envelope.occurred_at),
            },
        )

    def ready_to_collect(
        self, session: Session, event: ShopOrderReadyToCollect, envelope: Envelope
    ) -> None:
        self._to_buyer(
            session,
            envelope,
            event.shop_order_id,
            kind=Kind.READY_TO_COLLECT,
            subject="Your order is ready to collect at {shop}",
            template="ready_to_collect",
            context={"town": event.town, "postal_code": event.postal_code},
        )

    def extra_charge_proposed(
        self, session: Session, event: ShopOrderExtraChargeProposed, envelope: Envelope
    ) -> None:
        self._to_buyer(
            session,
            envelope,
            event.shop_order_id,
            kind=Kind.EXTRA_CHARGE_PROPOSED,
            subject="{shop} asks for an extra charge on your order",
            template="extra_charge_proposed",
            context={
                "amount": event.amount,
                "reason": event.reason,
                "proposed_by": event.proposed_by,
            },
            link_label="Answer on your order's page",
        )

    def want_matched(self, session: Session, event: WantMatched, _e: Envelope) -> None:
        # Gathered here; `digest.send_due_digests` mails them at most hourly per person.
        if session.get(WaitingMatch, event.match_id) is None:
            session.add(
                WaitingMatch(
                    match_id=event.match_id,
                    user_id=event.user_id,
                    match=event.model_dump(mode="json"),
                )
            )
            session.flush()

    # --- to a shop's members ----------------------------------------------------------------

    def awaiting_answer(
        self, session: Session, event: ShopOrderAwaitingAnswer, envelope: Envelope
    ) -> None:
        part = session.get(KnownPart, event.shop_order_id)
        shop_name = directory.shop_name(session, event.shop_id)
        kind = Kind.ANSWER_REMINDER if event.reminder else Kind.NEW_ORDER
        subject = (
            f"Reminder: answer the order for {shop_name} by {event.answer_by:%Y-%m-%d %H:%M} UTC"
            if event.reminder
            else f"New order for {shop_name}: answer by {event.answer_by:%Y-%m-%d %H:%M} UTC"
        )
        self._to_members(
            session,
            envelope,
            event.shop_id,
            kind=kind,
            subject=subject,
            template=kind.value,
            context={
                "shop_name": shop_name,
                "buyer_name": part.buyer_name if part else "A shopper",
                "lines": part.lines if part else [],
                "answer_by": event.answer_by,
            },
            link=self.links.page(f"/sell/orders/{event.shop_order_id}"),
            link_label="Accept or decline the order",
        )

    def extra_charge_answered(
        self, session: Session, event: OrderExtraChargeAnswered, envelope: Envelope
    ) -> None:
        part = session.get(KnownPart, event.shop_order_id)
        if part is not None and event.answer == "accepted":
            part.extra_amount = (part.extra_amount or 0) + event.amount.amount
        shop_name = directory.shop_name(session, event.shop_id)
        self._to_members(
            session,
            envelope,
            event.shop_id,
            kind=Kind.EXTRA_CHARGE_ANSWER,
            subject=f"The buyer {event.answer} the extra charge ({shop_name})",
            template="extra_charge_answer",
            context={
                "shop_name": shop_name,
                "buyer_name": part.buyer_name if part else "The buyer",
                "answer": event.answer,
                "amount": event.amount,
            },
            link=self.links.page(f"/sell/orders/{event.shop_order_id}"),
            link_label="Open the order",
        )

    def ready_to_ship(
        self, session: Session, event: OrderPaymentCaptured, envelope: Envelope
    ) -> None:
        """The buyer's money is captured: the parcel may go. For a shop that accepts on its
        own (auto-accept) this is also the first word of the order."""
        part = session.get(KnownPart, event.shop_order_id)
        shop_name = directory.shop_name(session, event.shop_id)
        self._to_members(
            session,
            envelope,
            event.shop_id,
            kind=Kind.READY_TO_SHIP,
            subject=f"Ready to ship for {shop_name}: the payment is confirmed",
            template="ready_to_ship",
            context={
                "shop_name": shop_name,
                "buyer_name": part.buyer_name if part else "The buyer",
                "lines": part.lines if part else [],
            },
            link=self.links.page(f"/sell/orders/{event.shop_order_id}"),
            link_label="Open the order",
        )

    def message_posted(self, session: Session, event: MessagePosted, envelope: Envelope) -> None:
        shop_name = directory.shop_name(session, event.shop_id)
        context = {
            "shop_name": shop_name,
            "sender_name": event.sender_name,
            "topic": event.subject,
            "excerpt": event.excerpt,
        }
        if event.from_side == "buyer":
            self._to_members(
                session,
                envelope,
                event.shop_id,
                kind=Kind.MESSAGE_TO_SHOP,
                subject=f"{event.sender_name} wrote to {shop_name}",
                template="message_to_shop",
                context=context,
                link=self.links.page(f"/sell/messages/{event.conversation_id}"),
                link_label="Read and answer",
            )
            return
        self.composer.mail(
            session,
            **_from(envelope),
            kind=Kind.MESSAGE_TO_BUYER,
            user_id=event.buyer_user_id,
            subject=f"{shop_name} wrote to you",
            template="message_to_buyer",
            context=context,
            link=self.links.page(f"/messages/{event.conversation_id}"),
            link_label="Read and answer",
        )

    def review_posted(self, session: Session, event: ReviewPosted, envelope: Envelope) -> None:
        shop_name = directory.shop_name(session, event.shop_id)
        self._to_members(
            session,
            envelope,
            event.shop_id,
            kind=Kind.NEW_REVIEW,
            subject=f"A new review of {shop_name}: {event.rating} out of 5",
            template="new_review",
            context={"shop_name": shop_name, "rating": event.rating, "text": event.text},
            link=self.links.page("/sell/reviews"),
            link_label="See and answer the review",
        )

    # --- account mails, always sent ----------------------------------------------------------

    def account_notice(self, session: Session, event: AccountNotice, envelope: Envelope) -> None:
        addresses = [event.email]
        if event.kind == "email_changed" and event.previous_email:
            addresses.append(event.previous_email)  # the old address hears of it too
        subject = ACCOUNT_SUBJECTS[event.kind]
        if event.kind == "staff_invitation" and event.shop_name:
            subject = f"You are invited to help run {event.shop_name}"
        for address in addresses:
            self.composer.mail(
                session,
                **_from(envelope),
                kind=Kind.ACCOUNT,
                kind_key=f"account.{event.kind}",
                email=address,
                subject=subject,
                template="account",
                context={
                    "name": event.display_name,
                    "notice": event.kind,
                    "previous_email": event.previous_email,
                    "new_email": event.email,
                    "shop_name": event.shop_name,
                },
                link=event.link,
                link_label=ACCOUNT_SUBJECTS[event.kind] if event.link else "",
            )

    # --- helpers ---------------------------------------------------------------------------

    def _to_buyer(
        self,
        session: Session,
        envelope: Envelope,
        shop_order_id: str,
        *,
        kind: Kind,
        subject: str,
        template: str,
        context: dict[str, Any] | None = None,
        link_label: str = "See your order",
    ) -> None:
        part = session.get(KnownPart, shop_order_id)
        if part is None:
            log.warning("no mail: unknown order part", extra={"shop_order_id": shop_order_id})
            return
        shop_name = directory.shop_name(session, part.shop_id)
        self.composer.mail(
            session,
            **_from(envelope),
            kind=kind,
            user_id=part.buyer_user_id,
            subject=subject.format(shop=shop_name),
            template=template,
            context={"shop_name": shop_name, "lines": part.lines, **(context or {})},
            link=self.links.page(f"/orders/{part.order_id}"),
            link_label=link_label,
        )

    def webhook_disabled(
        self, session: Session, event: ShopWebhookDisabled, envelope: Envelope
    ) -> None:
        shop_name = directory.shop_name(session, event.shop_id)
        self._to_members(
            session,
            envelope,
            event.shop_id,
            kind=Kind.WEBHOOK_DISABLED,
            subject=f"A webhook of {shop_name} was switched off",
            template="webhook_disabled",
            context={"shop_name": shop_name, "url": event.url, "reason": event.reason},
            link=self.links.page("/sell/settings/webhooks"),
            link_label="See its deliveries and switch it on again",
        )

    def suspension_changed(
        self, session: Session, event: ShopSuspensionChanged, envelope: Envelope
    ) -> None:
        shop_name = directory.shop_name(session, event.shop_id)
        subject = (
            f"{shop_name} is suspended by the platform"
            if event.suspended
            else f"{shop_name} is open again"
        )
        self._to_members(
            session,
            envelope,
            event.shop_id,
            kind=Kind.SHOP_SUSPENSION,
            subject=subject,
            template="shop_suspension",
            context={"shop_name": shop_name, "suspended": event.suspended, "reason": event.reason},
            link=self.links.page("/sell/"),
            link_label="Open your shop's portal",
        )

    def _to_members(
        self, session: Session, envelope: Envelope, shop_id: str, *, kind: Kind, **mail: Any
    ) -> None:
        shop = session.get(KnownShop, shop_id)
        if shop is None or not shop.members:
            log.warning("no mail: no known members", extra={"shop_id": shop_id})
            return
        for user_id in shop.members:
            self.composer.mail(session, **_from(envelope), kind=kind, user_id=user_id, **dict(mail))


def _from(envelope: Envelope) -> dict[str, Any]:
    return {"event_id": str(envelope.id), "event_at": envelope.occurred_at}


def is_collection(session: Session, shop_order_id: str) -> bool:
    part = session.get(KnownPart, shop_order_id)
    return bool(part is not None and (part.delivery or {}).get("collection"))


def expected_arrival(session: Session, shop_order_id: str, shipped_at: datetime) -> str | None:
    """When the buyer may expect the parcel: the chosen service's estimate in days from the
    day it was shipped, e.g. "between Tuesday 8 December and Thursday 10 December"; None
    without an estimate, or for an order collected in person."""
    part = session.get(KnownPart, shop_order_id)
    delivery = (part.delivery or {}) if part is not None else {}
    low, high = delivery.get("days_min"), delivery.get("days_max")
    if delivery.get("collection") or (low is None and high is None):
        return None
    low, high = low if low is not None else high, high if high is not None else low

    def day(days: int) -> str:
        moment = shipped_at + timedelta(days=days)
        return f"{moment:%A} {moment.day} {moment:%B}"

    if low == high:
        return f"by {day(high)} ({delivery.get('service_name') or 'as sent'})"
    return f"between {day(low)} and {day(high)} ({delivery.get('service_name') or 'as sent'})"
