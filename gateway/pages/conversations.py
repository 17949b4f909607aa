"""What the shopper's and the seller's conversation pages share: the client, the page number
asked for, and sending a form's text."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import abort, request

from gateway import identity
from gateway.clients import ServiceError
from gateway.clients.conversations import ConversationsClient
from gateway.forms.messages import MessageForm
from gateway.pages.helpers import sentence, show_service_error

log = logging.getLogger(__name__)

MAX_PAGE = 10_000


NOT_YOURS = "There is no such conversation among yours."


def conversations_client() -> ConversationsClient:
    return identity.client_of(ConversationsClient, "orders")


def page_arg() -> int:
    try:
        return min(MAX_PAGE, max(1, int(request.args.get("page") or 1)))
    except ValueError:
        return 1


def send(
    form: MessageForm, write: Callable[[str], dict], *, missing: str = NOT_YOURS
) -> dict | None:
    """Validate the form and send its text with `write`; the answer, or None with the
    reasons beside the field. What the service does not find is a 404 saying `missing`."""
    if not form.validate_on_submit():
        return None
    try:
        return write(form.text.data or "")
    except ServiceError as error:
        if error.status == 404:
            abort(404, missing)
        if error.fields:
            show_service_error(form, error)
        else:
            form.text.errors = [*form.text.errors, sentence(error.message)]  # type: ignore[misc]
        return None
