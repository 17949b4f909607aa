"""The seller portal's conversations with shoppers.

/sell/messages lists the shop's threads, unread first; /sell/messages/<id> shows one with an
answer form. The seller's order page holds the order's thread and the dashboard the latest
messages, through the partials in templates/messages/, fed by the template globals here.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from gateway.clients import ServiceError, ServiceUnavailable
from gateway.forms.messages import MessageForm, message_form
from gateway.pages.conversations import (
    NOT_YOURS,
    conversations_client,
    page_arg,
    send,
    unread_messages,
)
from gateway.pages.sell_common import require_shop
from gateway.pages.seller_order import seller_order_page

log = logging.getLogger(__name__)

blueprint = Blueprint("messages", __name__)

PER_PAGE = 20
DASHBOARD_MESSAGES = 5
ORDER_FORM = "order-message"


@blueprint.get("/messages")
def inbox() -> ResponseReturnValue:
    shop = require_shop()
    found = conversations_client().shop_conversations(
        shop["id"], page=page_arg(), per_page=PER_PAGE, unread_first=True
    )
    return render_template("messages/sell_inbox.html", shop=shop, found=found)


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
    g.pop("unread_messages", None)
    return (
        render_template("messages/sell_thread.html", shop=shop, thread=thread, form=form),
        status,
    )


# --- the thread on the seller's order page ------------------------------------------------


@blueprint.post("/shops/<shop_id>/orders/<shop_order_id>/messages")
def write_about_order(shop_id: str, shop_order_id: str) -> ResponseReturnValue:
    form = _order_form()
    client = conversations_client()
    if send(form, lambda text: client.shop_write_about_part(shop_id, shop_order_id, text)):
        flash("Your message was sent to the buyer.", "success")
        return redirect(url_for("sell.order", shop_order_id=shop_order_id) + "#messages")
    g.message_forms = {ORDER_FORM: form}
    return seller_order_page(shop_order_id, status=400)


def _order_form() -> MessageForm:
    return message_form(ORDER_FORM, label="Write to the buyer")


@blueprint.app_template_global()
def shop_order_message_form() -> MessageForm:
    return g.get("message_forms", {}).get(ORDER_FORM) or _order_form()


@blueprint.app_template_global()
def shop_order_conversation(shop: dict, order: dict) -> dict | None:
    """The thread of the shop's order (its `conversation` is None until someone writes);
    None when it cannot be known."""
    try:
        return conversations_client().shop_part_thread(str(shop["id"]), str(order["id"]))
    except (ServiceError, ServiceUnavailable) as error:
        log.warning("shop order thread unavailable", extra={"error": str(error)})
        return None


# --- the dashboard and the portal's menu --------------------------------------------------


@blueprint.app_template_global()
def recent_shop_messages(shop: dict) -> dict | None:
    """The shop's latest threads for the dashboard; None when they cannot be known."""
    try:
        return conversations_client().shop_conversations(
            str(shop["id"]), per_page=DASHBOARD_MESSAGES
        )
    except (ServiceError, ServiceUnavailable) as error:
        log.warning("shop messages unavailable", extra={"error": str(error)})
        return None


@blueprint.app_template_global()
def shop_unread_count(shop: dict | None) -> int:
    totals = unread_messages() if shop else None
    if not totals:
        return 0
    return int((totals.get("shops") or {}).get(str(shop["id"]), 0))  # type: ignore[index]
