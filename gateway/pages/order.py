"""The shopper's order page, shown by the orders views and again by a part's message form or
review form that needs correcting.

It costs the same number of calls whatever the number of shops in the order: the order, then
at once its parts' threads (one call), the buyer's reviews of it (one call), the lines'
covers (one call), its refunds and cases (one call) and the menus' counts.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort
from flask.typing import ResponseReturnValue

from gateway import identity
from gateway.clients import ServiceError
from gateway.clients.conversations import ConversationsClient
from gateway.clients.reviews import ReviewsClient
from gateway.forms.messages import MessageForm, message_form
from gateway.forms.reviews import ReviewForm, review_form
from gateway.pages.aftersale import order_aftersale_ask
from gateway.pages.covers import covers_ask
from gateway.pages.gather import Ask
from gateway.pages.layout import render_page

NOT_YOURS = "There is no such order among yours."


def order_page(
    order_id: str,
    *,
    message_forms: Mapping[str, MessageForm] | None = None,
    review_forms: Mapping[str, ReviewForm] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The page; the forms given (by part id) replace the empty ones, with their errors."""
    try:
        found = identity.orders_client().order(order_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, NOT_YOURS)
        raise
    return render_page(
        "shop/order.html",
        asks=order_asks(found),
        **order_context(found, message_forms=message_forms or {}, review_forms=review_forms or {}),
    ), status


def order_asks(order: dict) -> dict[str, Ask]:
    conversations = identity.client_of(ConversationsClient, "orders")
    reviews = identity.client_of(ReviewsClient, "orders")
    order_id = str(order.get("id"))
    lines = [line for part in order.get("parts") or [] for line in part.get("lines") or []]
    return {
        "part_threads": Ask(
            lambda: _threads_by_part(conversations.order_threads(order_id)),
            "the messages with the shops",
        ),
        "part_reviews": Ask(
            lambda: _reviews_by_part(reviews.order_reviews(order_id)), "your reviews"
        ),
        "covers": covers_ask(line.get("listing_id") for line in lines),
        "aftersale": order_aftersale_ask(order_id),
    }


def order_context(
    order: dict,
    *,
    message_forms: Mapping[str, MessageForm],
    review_forms: Mapping[str, ReviewForm],
) -> dict:
    part_ids = [str(part.get("shop_order_id")) for part in order.get("parts") or []]
    return {
        "order": order,
        "message_forms": {
            part_id: message_forms.get(part_id) or part_message_form(part_id)
            for part_id in part_ids
        },
        "review_forms": {
            part_id: review_forms.get(part_id) or review_form(part_id) for part_id in part_ids
        },
    }


def part_message_form(part_id: str) -> MessageForm:
    return message_form(f"part-{part_id}", label="Write to the shop")


def _threads_by_part(answer: dict) -> dict[str, dict]:
    # Each part's thread: its `conversation` is None until someone writes.
    return {str(thread["shop_order_id"]): thread for thread in answer.get("parts") or []}


def _reviews_by_part(found: list[dict]) -> dict[str, dict]:
    return {str(review["shop_order_id"]): review for review in found}
