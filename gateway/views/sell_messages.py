"""The seller portal's conversations with shoppers.

/sell/messages lists the shop's threads, unread first; /sell/messages/<id> shows one with an
answer form. The seller's order page holds the order's thread and the dashboard the latest
messages, through the partials in templates/messages/, from what their views gathered.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue

from gateway.clients import ServiceError
from gateway.forms.messages import MessageForm, message_form
from gateway.pages.conversations import (
    NOT_YOURS,
    conversations_client,
    page_arg,
    send,
)
from gateway.pages.layout import render_page
from gateway.pages.sell_common import require_shop
from gateway.pages.seller_order import order_message_form, seller_order_page

log = logging.getLogger(__name__)

blueprint = Blueprint("messages", __name__)

PER_PAGE = 20


@blueprint.get("/messages")
def inbox() -> ResponseReturnValue:
    shop = require_shop()
    found = conversations_client().shop_conversations(
        shop["id"], page=page_arg(), per_page=PER_PAGE, unread_first=True
    )
    return render_page("messages/sell_inbox.html", shop=shop, found=found)


@blueprint.get("/messages/<conversation_id>")
def conversation(conversation_id: str) -> ResponseReturnValue:
    return _thread_page(conversation_id, _answer_form())


@blueprint.post("/messages/<conversation_id>")
def answer(conversation_id: str) -> ResponseReturnValue:
    shop = require_shop()
    form = _answer_form()
    client = conversations_client()
    if send(form, lambda text: client.shop_reply(shop["id"], conversation_id, text)):
        flash("Your answer was sent.", "success")
        return redirect(url_for("sell.messages.conversation", conversation_id=conversation_id))
    return _thread_page(conversation_id, form, status=400)


def _answer_form() -> MessageForm:
    return message_form("answer", label="Your answer")


def _thread_page(
    conversation_id: str, form: MessageForm, *, status: int = 200
) -> ResponseReturnValue:
    shop = require_shop()
    try:
        thread = conversations_client().shop_conversation(shop["id"], conversation_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, NOT_YOURS)
        raise
    return (
        render_page("messages/sell_thread.html", shop=shop, thread=thread, form=form),
        status,
    )


# --- the thread on the seller's order page ------------------------------------------------


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/messages")
def write_about_order(shop_id: str, shop_order_id: str) -> ResponseReturnValue:
    form = order_message_form()
    client = conversations_client()
    if send(form, lambda text: client.shop_write_about_part(shop_id, shop_order_id, text)):
        flash("Your message was sent to the buyer.", "success")
        return redirect(url_for("sell.order", shop_order_id=shop_order_id) + "#messages")
    return seller_order_page(shop_order_id, message_form=form, status=400)
