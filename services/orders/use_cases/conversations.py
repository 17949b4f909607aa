"""Writing in a conversation: a shopper's question about a listing, either side's message
about a part of an order, a reply, and marking a thread read.

Every function takes the side that is asking and finds only what that side may see: the
shopper's own threads, or the threads of a shop the caller is a member of (the caller has
checked the membership against the token). Anything else is ConversationNotFound or
OrderNotFound, as if it did not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.contracts import MessagePosted
from services.common.messaging.tables import add_to_outbox
from services.orders import db
from services.orders.domain.conversation import (
    ConversationNotFound,
    Side,
    Topic,
    checked_message,
    display_name,
    ensure_not_own_shop,
)
from services.orders.listings import ListingInfo
from services.orders.use_cases.buyer_actions import buyer_part
from services.orders.use_cases.errors import OrderNotFound

SUBJECT_LENGTH = 500
# How much of a message its mail quotes; the rest is read on the site.
EXCERPT_LENGTH = 1000


@dataclass(frozen=True)
class Writer:
    """Who writes, on which side: the shopper, or a member of the shop (named by the token)."""

    side: Side
    user_id: str
    name: str
    shop_id: str | None = None


def find_conversation(
    session: Session, conversation_id: str, *, writer: Writer, lock: bool = False
) -> db.Conversation:
    """The conversation if `writer`'s side takes part in it, else ConversationNotFound."""
    query = select(db.Conversation).where(db.Conversation.id == conversation_id)
    if writer.side is Side.SHOPPER:
        query = query.where(db.Conversation.shopper_user_id == writer.user_id)
    else:
        query = query.where(db.Conversation.shop_id == writer.shop_id)
    if lock:
        query = query.with_for_update()
    conversation = session.scalars(query).first()
    if conversation is None:
        raise ConversationNotFound("no such conversation among yours")
    return conversation


def shop_part(session: Session, *, shop_id: str, shop_order_id: str) -> db.ShopOrder:
    """The shop's part of an order, locked, so a first message from each side at once
    makes one conversation."""
    part = session.scalars(
        select(db.ShopOrder)
        .where(db.ShopOrder.id == shop_order_id, db.ShopOrder.shop_id == shop_id)
        .with_for_update()
    ).first()
    if part is None:
        raise OrderNotFound("no such order of your shop")
    return part


def part_for(
    session: Session, writer: Writer, *, order_id: str | None, shop_order_id: str
) -> db.ShopOrder:
    """The part `writer` may talk about: the buyer's own, or one of the writer's shop."""
    if writer.side is Side.SHOPPER:
        return buyer_part(
            session, user_id=writer.user_id, order_id=order_id or "", part_id=shop_order_id
        )
    assert writer.shop_id is not None, "a shop writer names the shop"
    return shop_part(session, shop_id=writer.shop_id, shop_order_id=shop_order_id)


def order_part_conversations(
    session: Session, *, user_id: str, order_id: str
) -> list[tuple[db.ShopOrder, db.Conversation | None]]:
    """Every part of the buyer's order with its thread (None until someone writes), in two
    queries whatever the number of parts, so the order page asks once for all of them."""
    parts = list(
        session.scalars(
            select(db.ShopOrder)
            .join(db.Order)
            .where(db.ShopOrder.order_id == order_id, db.Order.buyer_user_id == user_id)
            .order_by(db.ShopOrder.id)
        )
    )
    if not parts:
        raise OrderNotFound("no such order among yours")
    found = session.scalars(
        select(db.Conversation)
        .where(db.Conversation.shop_order_id.in_([part.id for part in parts]))
        .with_for_update()
    )
    by_part = {conversation.shop_order_id: conversation for conversation in found}
    return [(part, by_part.get(part.id)) for part in parts]


def part_conversation(session: Session, part: db.ShopOrder) -> db.Conversation | None:
    return session.scalars(
        select(db.Conversation).where(db.Conversation.shop_order_id == part.id).with_for_update()
    ).first()


def write_about_part(
    session: Session,
    *,
    writer: Writer,
    order_id: str | None,
    shop_order_id: str,
    text: object,
    now: datetime,
) -> db.Conversation:
    """A message in the part's thread, which the first message of either side starts."""
    part = part_for(session, writer, order_id=order_id, shop_order_id=shop_order_id)
    words = checked_message(text)
    conversation = part_conversation(session, part)
    if conversation is None:
        conversation = db.Conversation(
            id=str(uuid.uuid4()),
            topic=Topic.ORDER.value,
            shop_id=part.shop_id,
            shop_name=part.shop_name,
            shopper_user_id=part.order.buyer_user_id,
            shopper_name=part.order.buyer_name,
            order_id=part.order_id,
            shop_order_id=part.id,
            subject=_order_subject(part)[:SUBJECT_LENGTH],
            created_at=now,
            last_message_at=now,
            shopper_unread=0,
            shop_unread=0,
        )
        session.add(conversation)
    _add_message(session, conversation, writer=writer, text=words, now=now)
    return conversation


def ask_about_listing(
    session: Session,
    listing: ListingInfo,
    *,
    writer: Writer,
    member_of: frozenset[str],
    text: object,
    now: datetime,
) -> tuple[db.Conversation, bool]:
    """The shopper's question to the listing's shop; (thread, whether it is new).

    A shopper has one thread per listing: asking again continues it. Only a shopper asks;
    a shop answers in a thread a shopper began.
    """
    assert writer.side is Side.SHOPPER, "only a shopper starts a question"
    words = checked_message(text)
    ensure_not_own_shop(shop_id=listing.shop_id, member_of=member_of)
    conversation = _question(session, listing_id=listing.id, user_id=writer.user_id)
    created = conversation is None
    if conversation is None:
        try:
            with session.begin_nested():
                session.add(
                    db.Conversation(
                        id=str(uuid.uuid4()),
                        topic=Topic.LISTING.value,
                        shop_id=listing.shop_id,
                        shop_name=listing.shop_name[:200],
                        shopper_user_id=writer.user_id,
                        shopper_name=display_name(writer.name, fallback="A shopper"),
                        listing_id=listing.id,
                        subject=listing.title[:SUBJECT_LENGTH],
                        created_at=now,
                        last_message_at=now,
                        shopper_unread=0,
                        shop_unread=0,
                    )
                )
        except IntegrityError:
            # The same shopper's first two questions arrived together; the other made it.
            created = False
        conversation = _question(session, listing_id=listing.id, user_id=writer.user_id)
        assert conversation is not None
    _add_message(session, conversation, writer=writer, text=words, now=now)
    return conversation, created


def reply(
    session: Session, conversation_id: str, *, writer: Writer, text: object, now: datetime
) -> db.Conversation:
    """A message in a thread the writer's side already takes part in."""
    conversation = find_conversation(session, conversation_id, writer=writer, lock=True)
    words = checked_message(text)
    _add_message(session, conversation, writer=writer, text=words, now=now)
    return conversation


def mark_read(conversation: db.Conversation, side: Side) -> None:
    if side is Side.SHOPPER and conversation.shopper_unread:
        conversation.shopper_unread = 0
    elif side is Side.SHOP and conversation.shop_unread:
        conversation.shop_unread = 0


def _question(session: Session, *, listing_id: str, user_id: str) -> db.Conversation | None:
    return session.scalars(
        select(db.Conversation)
        .where(
            db.Conversation.listing_id == listing_id,
            db.Conversation.shopper_user_id == user_id,
        )
        .with_for_update()
    ).first()


def _add_message(
    session: Session, conversation: db.Conversation, *, writer: Writer, text: str, now: datetime
) -> None:
    fallback = "A shopper" if writer.side is Side.SHOPPER else conversation.shop_name
    message = db.ConversationMessage(
        conversation_id=conversation.id,
        author_side=writer.side.value,
        author_user_id=writer.user_id,
        author_name=display_name(writer.name, fallback=fallback),
        text=text,
        created_at=now,
    )
    session.add(message)
    conversation.last_message_at = now
    # Writing in a thread means its writer has read it; the other side has one more unread.
    if writer.side is Side.SHOPPER:
        conversation.shopper_unread = 0
        conversation.shop_unread = (conversation.shop_unread or 0) + 1
    else:
        conversation.shop_unread = 0
        conversation.shopper_unread = (conversation.shopper_unread or 0) + 1
    session.flush()
    # The other side is told by mail; the event commits with the message or not at all.
    add_to_outbox(session, db.OutboxMessage, message_posted(conversation, message))


def message_posted(conversation: db.Conversation, message: db.ConversationMessage) -> MessagePosted:
    return MessagePosted(
        message_id=str(message.id),
        conversation_id=conversation.id,
        shop_id=conversation.shop_id,
        buyer_user_id=conversation.shopper_user_id,
        from_side="buyer" if message.author_side == Side.SHOPPER.value else "shop",
        sender_name=message.author_name,
        subject=conversation.subject,
        excerpt=message.text[:EXCERPT_LENGTH],
        order_id=conversation.order_id,
        shop_order_id=conversation.shop_order_id,
        listing_id=conversation.listing_id,
    )


def _order_subject(part: db.ShopOrder) -> str:
    titles = [str(line.get("title", "")) for line in part.lines]
    if not titles:
        return "Your order"
    if len(titles) == 1:
        return titles[0]
    return f"{titles[0]} and {len(titles) - 1} more"
