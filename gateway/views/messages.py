"""Conversations between shoppers and shops, and the notification centre.

/messages lists the shopper's threads, /messages/<id> shows one with a reply form. The
listing page asks the shop a question and the order page holds each part's thread, through
the partials in templates/messages/. The template globals here feed the partials and the
navigation's unread badge; they fail soft, so a page never breaks because the orders
service is away.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from gateway import identity
from gateway.clients import ServiceError, ServiceUnavailable
from gateway.forms import AddToCartForm
from gateway.forms.messages import MessageForm, message_form
from gateway.pages import conversations as conversation_pages
from gateway.pages.conversations import NOT_YOURS, conversations_client, page_arg, send
from gateway.pages.listing import listing_page
from gateway.pages.order import order_page

log = logging.getLogger(__name__)

blueprint = Blueprint("messages", __name__)

PER_PAGE = 20
ASK_FORM = "ask"


# --- the shopper's conversations ----------------------------------------------------------


@blueprint.get("/messages")
@login_required
def inbox() -> ResponseReturnValue:
    found = conversations_client().mine(page=page_arg(), per_page=PER_PAGE)
    return render_template("messages/inbox.html", found=found)


@blueprint.get("/messages/<conversation_id>")
@login_required
def conversation(conversation_id: str) -> ResponseReturnValue:
    return _thread_page(conversation_id, message_form("reply", label="Your reply"))


@blueprint.post("/messages/<conversation_id>")
@login_required
def reply(conversation_id: str) -> ResponseReturnValue:
    form = message_form("reply", label="Your reply")
    if send(form, lambda text: conversations_client().reply(conversation_id, text)):
        flash("Your message was sent.", "success")
        return redirect(url_for("messages.conversation", conversation_id=conversation_id))
    return _thread_page(conversation_id, form, status=400)


def _thread_page(
    conversation_id: str, form: MessageForm, *, status: int = 200
) -> ResponseReturnValue:
    try:
        thread = conversations_client().conversation(conversation_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, NOT_YOURS)
        raise
    # The page counts as read; the badge shown on it must say so too.
    g.pop("unread_messages", None)
    return render_template("messages/thread.html", thread=thread, form=form), status


# --- a question about a listing -----------------------------------------------------------


@blueprint.get("/listings/<listing_id>/ask")
def ask_page(listing_id: str) -> ResponseReturnValue:
    # Where logging in returns after a question was posted while signed out.
    return redirect(url_for("shop.listing", listing_id=listing_id) + "#ask")


@blueprint.post("/listings/<listing_id>/ask")
@login_required
def ask(listing_id: str) -> ResponseReturnValue:
    form = message_form(ASK_FORM, label="Your question")
    thread = send(
        form,
        lambda text: conversations_client().ask(listing_id, text),
        missing="This listing is gone: it sold out or the shop took it down.",
    )
    if thread:
        flash(f"Your question was sent to {thread.get('shop_name') or 'the shop'}.", "success")
        return redirect(url_for("messages.conversation", conversation_id=thread["id"]))
    g.message_forms = {ASK_FORM: form}
    return listing_page(listing_id, AddToCartForm(), status=400)


@blueprint.app_template_global()
def ask_form() -> MessageForm:
    return g.get("message_forms", {}).get(ASK_FORM) or message_form(ASK_FORM, label="Your question")


@blueprint.app_template_global()
def is_my_shop(shop_id: str | None) -> bool:
    """Whether the signed-in person is a member of `shop_id` (they answer, not ask)."""
    if not shop_id or not current_user.is_authenticated:
        return False
    try:
        return shop_id in identity.my_shop_ids()
    except (ServiceError, ServiceUnavailable):
        return False


# --- the thread of an order part ----------------------------------------------------------


@blueprint.post("/orders/<order_id>/parts/<part_id>/messages")
@login_required
def write_about_part(order_id: str, part_id: str) -> ResponseReturnValue:
    form = part_form(part_id)
    client = conversations_client()
    if send(
        form,
        lambda text: client.write_about_part(order_id, part_id, text),
        missing="There is no such order among yours.",
    ):
        flash("Your message was sent to the shop.", "success")
        return redirect(url_for("orders.order", order_id=order_id) + f"#messages-{part_id}")
    g.message_forms = {f"part-{part_id}": form}
    return order_page(order_id), 400


def part_form(part_id: str) -> MessageForm:
    return message_form(f"part-{part_id}", label="Write to the shop")


@blueprint.app_template_global()
def part_message_form(part: dict) -> MessageForm:
    part_id = str(part.get("shop_order_id"))
    return g.get("message_forms", {}).get(f"part-{part_id}") or part_form(part_id)


@blueprint.app_template_global()
def part_conversation(order: dict, part: dict) -> dict | None:
    """The part's thread (its `conversation` is None until someone writes); None when it
    cannot be known."""
    cache = g.setdefault("part_conversations", {})
    part_id = str(part.get("shop_order_id"))
    if part_id not in cache:
        try:
            cache[part_id] = conversations_client().part_thread(str(order.get("id")), part_id)
        except (ServiceError, ServiceUnavailable) as error:
            log.warning("order part thread unavailable", extra={"error": str(error)})
            cache[part_id] = None
    return cache[part_id]


# --- unread counts and the notification centre --------------------------------------------


@blueprint.app_template_global()
def unread_messages() -> dict | None:
    """{"shopper": n, "shops": {shop_id: n}}, asked once per page; None when unknown."""
    return conversation_pages.unread_messages()


@blueprint.get("/notifications")
@login_required
def notifications() -> ResponseReturnValue:
    client = conversations_client()
    unread = client.mine(unread=True, per_page=50)
    totals = client.unread_totals()
    g.unread_messages = totals
    try:
        mine = identity.my_shops()
    except (ServiceError, ServiceUnavailable):
        mine = []  # the shopper's own messages still show
    shops = [{**shop, "unread": (totals.get("shops") or {}).get(shop["id"], 0)} for shop in mine]
    return render_template(
        "messages/notifications.html",
        unread=unread,
        shops=[shop for shop in shops if shop["unread"]],
    )
