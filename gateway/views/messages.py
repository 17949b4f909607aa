"""Conversations between shoppers and shops, and the notification centre.

/messages lists the shopper's threads, /messages/<id> shows one with a reply form. The
listing page asks the shop a question and the order page holds each part's thread, through
the partials in templates/messages/, from what those pages' views gathered (gateway/pages/);
a page whose orders service is away shows without its threads and says so.
"""

from __future__ import annotations

import logging
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from gateway import identity
from gateway.clients import ServiceError, ServiceUnavailable
from gateway.clients.wants import WantsClient
from gateway.forms import AddToCartForm
from gateway.forms.messages import MessageForm, message_form
from gateway.pages.conversations import NOT_YOURS, conversations_client, page_arg, send
from gateway.pages.gather import Ask
from gateway.pages.invitations import invitations_to_me
from gateway.pages.layout import gather_page, page_context, render_page
from gateway.pages.listing import ASK_FORM, listing_page
from gateway.pages.order import order_page, part_message_form

log = logging.getLogger(__name__)

blueprint = Blueprint("messages", __name__)

PER_PAGE = 20


# --- the shopper's conversations ----------------------------------------------------------


@blueprint.get("/messages")
@login_required
def inbox() -> ResponseReturnValue:
    found = conversations_client().mine(page=page_arg(), per_page=PER_PAGE)
    return render_page("messages/inbox.html", found=found)


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
    # The page counts as read: the menu's count, asked after this, says so too.
    return render_page("messages/thread.html", thread=thread, form=form), status


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
    return listing_page(listing_id, AddToCartForm(), ask_form=form, status=400)


# --- the thread of an order part ----------------------------------------------------------


@blueprint.post("/orders/<order_id>/parts/<part_id>/messages")
@login_required
def write_about_part(order_id: str, part_id: str) -> ResponseReturnValue:
    form = part_message_form(part_id)
    client = conversations_client()
    if send(
        form,
        lambda text: client.write_about_part(order_id, part_id, text),
        missing="There is no such order among yours.",
    ):
        flash("Your message was sent to the shop.", "success")
        return redirect(url_for("orders.order", order_id=order_id) + f"#messages-{part_id}")
    return order_page(order_id, message_forms={part_id: form}, status=400)


# --- unread counts and the notification centre --------------------------------------------


@blueprint.get("/notifications")
@login_required
def notifications() -> ResponseReturnValue:
    client = conversations_client()
    wants = identity.client_of(WantsClient, "catalog")
    found = gather_page(
        {
            "unread": Ask(partial(client.mine, unread=True, per_page=50), "your messages"),
            "totals": Ask(client.unread_totals, "your shops' messages"),
            "want_matches": Ask(
                lambda: [m for m in wants.matches(limit=20).get("matches", []) if not m["read"]],
                "your wants' matches",
            ),
        }
    )
    try:
        mine = identity.my_shops()
    except (ServiceError, ServiceUnavailable):
        mine = []  # the shopper's own messages still show
    by_shop = (found["totals"] or {}).get("shops") or {}
    shops = [{**shop, "unread": by_shop.get(shop["id"], 0)} for shop in mine]
    context = {
        "shops": [shop for shop in shops if shop["unread"]],
        "invitations_to_me": invitations_to_me(),
    }
    return render_template("messages/notifications.html", **page_context(found, context))
