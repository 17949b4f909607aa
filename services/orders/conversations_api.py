"""HTTP entry points for conversations between shoppers and shops (docs/api.md,
"conversations").

The shopper side is the token's user; the shop side is a shop named in the path that the
token's shops include. Anyone else gets 404 for every route, as if nothing existed.
"""

from __future__ import annotations

from typing import Literal

from flask import Blueprint, Response, abort, current_app, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.db import reading
from services.common.openapi import describe
from services.common.runtime import Runtime
from services.common.web import invalid_input, parse_json, require_principal
from services.orders import conversation_views as views
from services.orders import membership
from services.orders.api import LISTINGS_EXTENSION
from services.orders.api_docs import (
    CALLS_SHOPS,
    ConversationsOut,
    PartThreadOut,
    PartThreadsOut,
    ThreadOut,
    ThreadsOut,
    UnreadOut,
    spec,
)
from services.orders.domain.conversation import Side
from services.orders.listings import ListingDirectory
from services.orders.use_cases import conversations
from services.orders.use_cases.conversations import Writer

bp = Blueprint("conversations", __name__)

MAX_PER_PAGE = 50
NOT_YOURS = "no such conversation among yours"


class MessageBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Checked by the domain, so an empty or long text reads the same everywhere.
    text: object = None


class ConversationPageParams(BaseModel):
    model_config = ConfigDict(extra="ignore")

    page: int = Field(default=1, ge=1, le=10_000)
    per_page: int = Field(default=20, ge=1, le=MAX_PER_PAGE)
    unread: bool = False
    sort: Literal["newest", "unread"] = "newest"


def _runtime() -> Runtime:
    return current_app.extensions["runtime"]


def _listings() -> ListingDirectory:
    return current_app.extensions[LISTINGS_EXTENSION]


def _page_params() -> ConversationPageParams:
    try:
        return ConversationPageParams.model_validate(request.args.to_dict())
    except ValidationError as error:
        raise invalid_input(error, what="page", whole="query") from error


def _shopper(principal: Principal) -> Writer:
    return Writer(side=Side.SHOPPER, user_id=principal.user_id, name=principal.name)


def _shop(principal: Principal, shop_id: str) -> Writer:
    with reading(_runtime().session_factory) as session:
        if not membership.is_member(session, principal, shop_id):
            abort(404, NOT_YOURS)
    return Writer(side=Side.SHOP, user_id=principal.user_id, name=principal.name, shop_id=shop_id)


# The shopper's side.


@bp.get("/conversations")
@describe(spec, tag="conversations", answer=ConversationsOut, query=ConversationPageParams)
def my_conversations() -> Response:
    principal = require_principal()
    params = _page_params()
    with _runtime().session_factory() as session:
        return jsonify(
            views.shopper_conversations(
                session,
                user_id=principal.user_id,
                page=params.page,
                per_page=params.per_page,
                unread_only=params.unread,
            )
        )


@bp.get("/conversations/all")
@describe(spec, tag="conversations", answer=ThreadsOut)
def all_my_conversations() -> Response:
    """Every conversation of the shopper with its messages, for "download my data"."""
    principal = require_principal()
    with reading(_runtime().session_factory) as session:
        return jsonify(views.shopper_threads(session, user_id=principal.user_id))


@bp.get("/conversations/unread")
@describe(spec, tag="conversations", answer=UnreadOut)
def unread_totals() -> Response:
    principal = require_principal()
    with _runtime().session_factory() as session:
        return jsonify(
            views.unread_totals(
                session,
                user_id=principal.user_id,
                shop_ids=membership.member_shops(session, principal),
            )
        )


@bp.get("/conversations/<conversation_id>")
@describe(spec, tag="conversations", answer=ThreadOut)
def my_conversation(conversation_id: str) -> Response:
    return _read(_shopper(require_principal()), conversation_id)


@bp.post("/conversations/<conversation_id>/messages")
@describe(spec, tag="conversations", ok=201, answer=ThreadOut, body=MessageBody)
def my_reply(conversation_id: str) -> tuple[Response, int]:
    return _reply(_shopper(require_principal()), conversation_id)


@bp.post("/listings/<listing_id>/questions")
@describe(
    spec, tag="conversations", ok=(201, 200), answer=ThreadOut, body=MessageBody, errors=CALLS_SHOPS
)
def ask_about_listing(listing_id: str) -> tuple[Response, int]:
    principal = require_principal()
    body = parse_json(MessageBody)
    listing = _listings().get(listing_id)
    if listing is None:
        abort(404, "no such listing: it may have been sold or removed")
    with _runtime().session_factory.begin() as session:
        conversation, created = conversations.ask_about_listing(
            session,
            listing,
            writer=_shopper(principal),
            member_of=membership.member_shops(session, principal),
            text=body.text,
            now=utcnow(),
        )
        return jsonify(views.thread_json(session, conversation, Side.SHOPPER)), (
            201 if created else 200
        )


@bp.get("/orders/<order_id>/parts/<part_id>/conversation")
@describe(spec, tag="conversations", answer=PartThreadOut)
def my_part_thread(order_id: str, part_id: str) -> Response:
    return _part_thread(_shopper(require_principal()), order_id=order_id, shop_order_id=part_id)


@bp.get("/orders/<order_id>/conversations")
@describe(spec, tag="conversations", answer=PartThreadsOut)
def my_order_threads(order_id: str) -> Response:
    """The thread of every part of the shopper's order in one answer (the order page's)."""
    writer = _shopper(require_principal())
    with _runtime().session_factory.begin() as session:
        found = conversations.order_part_conversations(
            session, user_id=writer.user_id, order_id=order_id
        )
        parts = []
        for part, conversation in found:
            if conversation is not None:
                conversations.mark_read(conversation, writer.side)
            parts.append(
                views.part_thread(
                    session, conversation, writer.side, order_id=order_id, shop_order_id=part.id
                )
            )
        return jsonify({"order_id": order_id, "parts": parts})


@bp.post("/orders/<order_id>/parts/<part_id>/conversation/messages")
@describe(spec, tag="conversations", ok=201, answer=PartThreadOut, body=MessageBody)
def my_part_message(order_id: str, part_id: str) -> tuple[Response, int]:
    return _part_message(_shopper(require_principal()), order_id=order_id, shop_order_id=part_id)


# The shop's side.


@bp.get("/shops/<shop_id>/conversations")
@describe(spec, tag="conversations", answer=ConversationsOut, query=ConversationPageParams)
def shop_conversations(shop_id: str) -> Response:
    _shop(require_principal(), shop_id)
    params = _page_params()
    with _runtime().session_factory() as session:
        return jsonify(
            views.shop_conversations(
                session,
                shop_id=shop_id,
                page=params.page,
                per_page=params.per_page,
                unread_only=params.unread,
                unread_first=params.sort == "unread",
            )
        )


@bp.get("/shops/<shop_id>/conversations/<conversation_id>")
@describe(spec, tag="conversations", answer=ThreadOut)
def shop_conversation(shop_id: str, conversation_id: str) -> Response:
    return _read(_shop(require_principal(), shop_id), conversation_id)


@bp.post("/shops/<shop_id>/conversations/<conversation_id>/messages")
@describe(spec, tag="conversations", ok=201, answer=ThreadOut, body=MessageBody)
def shop_reply(shop_id: str, conversation_id: str) -> tuple[Response, int]:
    return _reply(_shop(require_principal(), shop_id), conversation_id)


@bp.get("/shops/<shop_id>/orders/<shop_order_id>/conversation")
@describe(spec, tag="conversations", answer=PartThreadOut)
def shop_part_thread(shop_id: str, shop_order_id: str) -> Response:
    writer = _shop(require_principal(), shop_id)
    return _part_thread(writer, order_id=None, shop_order_id=shop_order_id)


@bp.post("/shops/<shop_id>/orders/<shop_order_id>/conversation/messages")
@describe(spec, tag="conversations", ok=201, answer=PartThreadOut, body=MessageBody)
def shop_part_message(shop_id: str, shop_order_id: str) -> tuple[Response, int]:
    writer = _shop(require_principal(), shop_id)
    return _part_message(writer, order_id=None, shop_order_id=shop_order_id)


def _read(writer: Writer, conversation_id: str) -> Response:
    with _runtime().session_factory.begin() as session:
        conversation = conversations.find_conversation(
            session, conversation_id, writer=writer, lock=True
        )
        conversations.mark_read(conversation, writer.side)
        return jsonify(views.thread_json(session, conversation, writer.side))


def _reply(writer: Writer, conversation_id: str) -> tuple[Response, int]:
    body = parse_json(MessageBody)
    with _runtime().session_factory.begin() as session:
        conversation = conversations.reply(
            session, conversation_id, writer=writer, text=body.text, now=utcnow()
        )
        return jsonify(views.thread_json(session, conversation, writer.side)), 201


def _part_thread(writer: Writer, *, order_id: str | None, shop_order_id: str) -> Response:
    with _runtime().session_factory.begin() as session:
        part = conversations.part_for(
            session, writer, order_id=order_id, shop_order_id=shop_order_id
        )
        conversation = conversations.part_conversation(session, part)
        if conversation is not None:
            conversations.mark_read(conversation, writer.side)
        return jsonify(
            views.part_thread(
                session, conversation, writer.side, order_id=part.order_id, shop_order_id=part.id
            )
        )


def _part_message(
    writer: Writer, *, order_id: str | None, shop_order_id: str
) -> tuple[Response, int]:
    body = parse_json(MessageBody)
    with _runtime().session_factory.begin() as session:
        conversation = conversations.write_about_part(
            session,
            writer=writer,
            order_id=order_id,
            shop_order_id=shop_order_id,
            text=body.text,
            now=utcnow(),
        )
        thread = views.part_thread(
            session,
            conversation,
            writer.side,
            order_id=conversation.order_id or "",
            shop_order_id=shop_order_id,
        )
        return jsonify(thread), 201
