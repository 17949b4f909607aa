"""Read side of conversations: lists with unread counts, one thread, the unread totals.

Each view is for one side: the shopper sees their threads with their own unread counts, a
shop its threads with its own. Neither side ever sees the other's user ids.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.common.clock import as_utc
from services.orders import db
from services.orders.domain.conversation import Side

Json = dict[str, Any]
PREVIEW_LENGTH = 140


def message_json(message: db.ConversationMessage) -> Json:
    return {
        "id": message.id,
        "author_side": message.author_side,
        "author_name": message.author_name,
        "text": message.text,
        "created_at": as_utc(message.created_at).isoformat(),
    }


def summary_json(
    conversation: db.Conversation, side: Side, last: db.ConversationMessage | None
) -> Json:
    unread = conversation.shopper_unread if side is Side.SHOPPER else conversation.shop_unread
    preview = None
    if last is not None:
        preview = {
            "author_side": last.author_side,
            "author_name": last.author_name,
            "text": _preview(last.text),
            "created_at": as_utc(last.created_at).isoformat(),
        }
    return {
        "id": conversation.id,
        "topic": conversation.topic,
        "shop_id": conversation.shop_id,
        "shop_name": conversation.shop_name,
        "shopper_name": conversation.shopper_name,
        "order_id": conversation.order_id,
        "shop_order_id": conversation.shop_order_id,
        "listing_id": conversation.listing_id,
        "subject": conversation.subject,
        "created_at": as_utc(conversation.created_at).isoformat(),
        "last_message_at": as_utc(conversation.last_message_at).isoformat(),
        "unread": unread,
        "last_message": preview,
    }


def thread_json(session: Session, conversation: db.Conversation, side: Side) -> Json:
    messages = list(
        session.scalars(
            select(db.ConversationMessage)
            .where(db.ConversationMessage.conversation_id == conversation.id)
            .order_by(db.ConversationMessage.id)
        )
    )
    return {
        **summary_json(conversation, side, messages[-1] if messages else None),
        "messages": [message_json(message) for message in messages],
    }


def shopper_threads(session: Session, *, user_id: str) -> Json:
    """Every conversation of one shopper with all its messages, oldest first: the copy of
    their data a person may download. Reading it marks nothing read."""
    found = session.scalars(
        select(db.Conversation)
        .where(db.Conversation.shopper_user_id == user_id)
        .order_by(db.Conversation.id)
    )
    return {"conversations": [thread_json(session, c, Side.SHOPPER) for c in found]}


def shopper_conversations(
    session: Session, *, user_id: str, page: int, per_page: int, unread_only: bool
) -> Json:
    where = [db.Conversation.shopper_user_id == user_id]
    if unread_only:
        where.append(db.Conversation.shopper_unread > 0)
    return _page(session, where, Side.SHOPPER, page=page, per_page=per_page, unread_first=False)


def shop_conversations(
    session: Session,
    *,
    shop_id: str,
    page: int,
    per_page: int,
    unread_only: bool,
    unread_first: bool,
) -> Json:
    where = [db.Conversation.shop_id == shop_id]
    if unread_only:
        where.append(db.Conversation.shop_unread > 0)
    body = _page(session, where, Side.SHOP, page=page, per_page=per_page, unread_first=unread_first)
    return {"shop_id": shop_id, **body}


def unread_totals(session: Session, *, user_id: str, shop_ids: frozenset[str]) -> Json:
    """{"shopper": n, "shops": {shop_id: n}} over every shop in the token, zeros included."""
    shopper = session.scalar(
        select(func.coalesce(func.sum(db.Conversation.shopper_unread), 0)).where(
            db.Conversation.shopper_user_id == user_id
        )
    )
    shops = {shop_id: 0 for shop_id in sorted(shop_ids)}
    if shop_ids:
        rows = session.execute(
            select(db.Conversation.shop_id, func.sum(db.Conversation.shop_unread))
            .where(db.Conversation.shop_id.in_(shop_ids))
            .group_by(db.Conversation.shop_id)
        )
        for shop_id, count in rows:
            shops[shop_id] = int(count or 0)
    return {"shopper": int(shopper or 0), "shops": shops}


def part_thread(
    session: Session,
    conversation: db.Conversation | None,
    side: Side,
    *,
    order_id: str,
    shop_order_id: str,
) -> Json:
    """The thread of an order part; `conversation` is null until someone writes."""
    return {
        "order_id": order_id,
        "shop_order_id": shop_order_id,
        "conversation": thread_json(session, conversation, side) if conversation else None,
    }


def _page(
    session: Session, where: list, side: Side, *, page: int, per_page: int, unread_first: bool
) -> Json:
    total = session.scalar(select(func.count(db.Conversation.id)).where(*where)) or 0
    unread = db.Conversation.shopper_unread if side is Side.SHOPPER else db.Conversation.shop_unread
    order = [db.Conversation.last_message_at.desc(), db.Conversation.id.desc()]
    if unread_first:
        order.insert(0, case((unread > 0, 0), else_=1))
    conversations = list(
        session.scalars(
            select(db.Conversation)
            .where(*where)
            .order_by(*order)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    last = _last_messages(session, [conversation.id for conversation in conversations])
    return {
        "conversations": [
            summary_json(conversation, side, last.get(conversation.id))
            for conversation in conversations
        ],
        "total": total,
        "page": page,
        "per_page": per_page,
    }


def _last_messages(
    session: Session, conversation_ids: list[str]
) -> dict[str, db.ConversationMessage]:
    if not conversation_ids:
        return {}
    latest = (
        select(func.max(db.ConversationMessage.id))
        .where(db.ConversationMessage.conversation_id.in_(conversation_ids))
        .group_by(db.ConversationMessage.conversation_id)
    )
    messages = session.scalars(
        select(db.ConversationMessage).where(db.ConversationMessage.id.in_(latest))
    )
    return {message.conversation_id: message for message in messages}


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_LENGTH else flat[: PREVIEW_LENGTH - 1] + "…"
