"""The worker's event handlers: learn who is who, and make the mails each event calls for.

Handlers are thin: they look up the recipients this service learned from earlier events
and hand each mail to the Composer, all in the consumer's transaction (with the inbox row).
An event about a part or a shop this service never heard of makes no mail; it is logged.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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
    OrderPlaced,
    OrderPlacedV2,
    ReviewPosted,
    ShopMembersChanged,
    ShopOrderAccepted,
    ShopOrderAwaitingAnswer,
    ShopOrderDeclined,
    ShopOrderExtraChargeProposed,
    ShopOrderShipped,
    ShopUpdated,
    WantMatched,
)
from services.notifications.compose import Composer
from services.notifications.db import (
    KnownPart,
    KnownShop,
    Mail,
    MatchDigest,
    MutedKind,
    Person,
    WaitingMatch,
)
from services.notifications.domain import Kind, MailStatus

log = logging.getLogger(__name__)

ACCOUNT_SUBJECTS = {
    "verify_email": "Confirm your e-mail address",
    "reset_password": "Reset your password",
    "password_changed": "Your password was changed",
    "email_changed": "Your e-mail address was changed",
    "signup_existing": "You already have an account",
    "staff_invitation": "You are invited to help run a shop",
}


class NotificationHandlers:
    def __init__(self, composer: Composer) -> None:
        self.composer = composer
        self.links = composer.links

    def handlers(self) -> dict[type[Event], Callable[[Session, Any, Envelope], None]]:
        return {
            AccountUpdated: self.account_updated,
            AccountDeleted: self.account_deleted,
            AccountNotice: self.account_notice,
            ShopMembersChanged: self.members_changed,
            ShopUpdated: self.shop_updated,
            OrderPlaced: self.order_placed,
            OrderPlacedV2: self.order_placed,
            OrderConfirmed: self.order_confirmed,
            ShopOrderAwaitingAnswer: self.awaiting_answer,
            ShopOrderAccepted: self.accepted,
            ShopOrderDeclined: self.declined,
            ShopOrderShipped: self.shipped,
            ShopOrderExtraChargeProposed: self.extra_charge_proposed,
            OrderExtraChargeAnswered: self.extra_charge_answered,
            MessagePosted: self.message_posted,
            ReviewPosted: self.review_posted,
            WantMatched: self.want_matched,
        }

    # --- who is who ----------------------------------------------------------------------

    def account_updated(self, session: Session, event: AccountUpdated, _e: Envelope) -> None:
        person = session.get(Person, event.user_id)
        if person is None:
            session.add(
                Person(
                    user_id=event.user_id,
                    email=event.email,
                    display_name=event.display_name,
                    email_verified=event.email_verified,
                    revision=event.revision,
                    deleted=False,
                )
            )
            session.flush()
            return
        if person.deleted or event.revision <= person.revision:
            return  # an older copy arriving late, or an account already gone
        person.email = event.email
        person.display_name = event.display_name
        person.email_verified = event.email_verified
        person.revision = event.revision

    def account_deleted(self, session: Session, event: AccountDeleted, _e: Envelope) -> None:
        # The address is forgotten; mails not sent yet are not sent.
        person = session.get(Person, event.user_id)
        if person is None:
            person = Person(user_id=event.user_id, email="", revision=0)
            session.add(person)
        person.email, person.display_name, person.deleted = "", "", True
        session.execute(
            update(Mail)
            .where(Mail.user_id == event.user_id, Mail.status == MailStatus.PENDING)
            .values(status=MailStatus.SUPPRESSED, last_error="the account was deleted")
        )
        for model in (MutedKind, WaitingMatch, MatchDigest):
            session.query(model).filter(model.user_id == event.user_id).delete()

    def members_changed(self, session: Session, event: ShopMembersChanged, _e: Envelope) -> None:
        shop = self._shop(session, event.shop_id)
        if event.revision <= shop.members_revision:
            return
        shop.slug, shop.name = event.slug, event.name
        shop.members = [member.user_id for member in event.members]
        shop.members_revision = event.revision

    def shop_updated(self, session: Session, event: ShopUpdated, _e: Envelope) -> None:
        shop = self._shop(session, event.shop_id)
        shop.slug, shop.name = event.slug, event.name

    def order_placed(self, session: Session, event: OrderPlaced, _e: Envelope) -> None:
        self._remember_part(
            session,
            shop_order_id=event.shop_order_id,
            order_id=event.order_id,
            shop_id=event.shop_id,
            buyer=(event.buyer.user_id, event.buyer.name),
            lines=[line.model_dump(mode="json") for line in event.lines],
            subtotal=event.subtotal.amount,
            shipping=event.shipping.amount,
            currency=event.subtotal.currency,
        )

    # --- to the buyer ---------------------------------------------------------------------

    def order_confirmed(self, session: Session, event: OrderConfirmed, envelope: Envelope) -> None:
        buyer = (event.buyer.user_id, event.buyer.name)
        lines = {
            p.shop_order_id: [line.model_dump(mode="json") for line in p.lines] for p in event.parts
        }
        _remember_parts(
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
                }
                for part in event.parts
            ],
        )
        names = _shop_names(session, sorted({part.shop_id for part in event.parts}))
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
        self._to_buyer(
            session,
            envelope,
            event.shop_order_id,
            kind=Kind.ORDER_SHIPPED,
            subject="{shop} shipped your order",
            template="order_shipped",
            context={
                "note": event.note,
                "signed_by": event.signed_by,
                "carrier": event.carrier,
                "tracking_number": event.tracking_number,
            },
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
        shop_name = self._shop_name(session, event.shop_id)
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
        shop_name = self._shop_name(session, event.shop_id)
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

    def message_posted(self, session: Session, event: MessagePosted, envelope: Envelope) -> None:
        shop_name = self._shop_name(session, event.shop_id)
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
        shop_name = self._shop_name(session, event.shop_id)
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
        shop_name = self._shop_name(session, part.shop_id)
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

    def _to_members(
        self, session: Session, envelope: Envelope, shop_id: str, *, kind: Kind, **mail: Any
    ) -> None:
        shop = session.get(KnownShop, shop_id)
        if shop is None or not shop.members:
            log.warning("no mail: no known members", extra={"shop_id": shop_id})
            return
        for user_id in shop.members:
            self.composer.mail(session, **_from(envelope), kind=kind, user_id=user_id, **dict(mail))

    @staticmethod
    def _shop(session: Session, shop_id: str) -> KnownShop:
        shop = session.get(KnownShop, shop_id)
        if shop is None:
            shop = KnownShop(shop_id=shop_id, slug="", name="", members=[], members_revision=0)
            session.add(shop)
        return shop

    @staticmethod
    def _shop_name(session: Session, shop_id: str) -> str:
        return _shop_names(session, [shop_id])[shop_id]

    @staticmethod
    def _remember_part(session: Session, **part: Any) -> None:
        _remember_parts(session, [part])


def _shop_names(session: Session, shop_ids: list[str]) -> dict[str, str]:
    """Each shop's name, "The shop" for one not heard of yet."""
    # On the mapped class, so the session first flushes what this batch changed.
    found = dict(
        session.execute(
            select(KnownShop.shop_id, KnownShop.name).where(KnownShop.shop_id.in_(shop_ids))
        )
        .tuples()
        .all()
    )
    return {shop_id: found.get(shop_id) or "The shop" for shop_id in shop_ids}


def _remember_parts(session: Session, parts: list[dict[str, Any]]) -> None:
    """Record order parts not known yet: order.placed and order.confirmed both describe
    each part, and whichever arrives first is kept."""
    rows = [
        {
            "shop_order_id": part["shop_order_id"],
            "order_id": part["order_id"],
            "shop_id": part["shop_id"],
            "buyer_user_id": part["buyer"][0],
            "buyer_name": part["buyer"][1],
            "lines": part["lines"],
            "subtotal_amount": part["subtotal"],
            "shipping_amount": part["shipping"],
            "currency": part["currency"],
            "extra_amount": 0,
        }
        for part in parts
    ]
    dialect = session.get_bind().dialect.name
    insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert_(KnownPart.__table__).on_conflict_do_nothing(), rows)


def _from(envelope: Envelope) -> dict[str, Any]:
    return {"event_id": str(envelope.id), "event_at": envelope.occurred_at}


def digest_event_id(user_id: str, number: int) -> str:
    """The made-up event of a person's n-th gathered want mail: the same every time."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"want-digest/{user_id}/{number}"))


def as_utc(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; everything stored here is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
