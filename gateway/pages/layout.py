"""Rendering a page: the view's own data and the site's menus, gathered before the template
runs, in one round of calls with one deadline.

Every page shows the menus (unread messages, new want matches, follow requests waiting, the
seller's shops); a view adds what its page needs as `asks`. The template gets the view's
context, `nav` for the menus, the answers by name, and `missing`: what could not be had,
which the page says instead of failing. No template asks a service.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import render_template
from flask_login import current_user

from gateway import identity, people_services
from gateway.clients import ServiceError, ServiceUnavailable
from gateway.clients.conversations import ConversationsClient
from gateway.clients.wants import WantsClient
from gateway.pages.followed import reading
from gateway.pages.gather import Ask, Gathered, gather

log = logging.getLogger(__name__)

_UNREAD = "_nav_unread"
_WANTS = "_nav_want_unread"


def render_page(template: str, /, *, asks: Mapping[str, Ask] | None = None, **context: Any) -> str:
    """The page from `context`, the answers to `asks` (by name) and the menus."""
    found = gather_page(asks or {})
    return render_template(template, **page_context(found, context))


def gather_page(asks: Mapping[str, Ask]) -> Gathered:
    """The answers to `asks` with the menus' own, asked together."""
    return gather({**asks, **_nav_asks()}, timeout=identity.settings().service_timeout)


def page_context(found: Gathered, context: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: value for name, value in found.values.items() if not name.startswith("_nav")}
    return {
        **values,
        **context,
        "nav": _nav(found),
        "missing": [*found.missing, *context.get("missing", [])],
    }


def _nav_asks() -> dict[str, Ask]:
    if not current_user.is_authenticated or current_user.is_operator:
        # An operator has no messages or wants of a person's, and no person's token to ask.
        return {}
    try:
        # Building the clients asks which shops the person has (for their tokens), once per
        # request; the page goes on without the counts if that cannot be known.
        conversations = identity.client_of(ConversationsClient, "orders")
        wants = identity.client_of(WantsClient, "catalog")
    except (ServiceError, ServiceUnavailable) as error:
        log.warning("menu counts unavailable", extra={"error": str(error)[:300]})
        return {}
    # The badges are a courtesy: a menu without its count is still the menu (no `missing`).
    return {
        _UNREAD: Ask(conversations.unread_totals, "", fails_page_on=()),
        _WANTS: Ask(wants.unread, "", fails_page_on=()),
    }


def _nav(found: Gathered) -> dict[str, Any]:
    if not current_user.is_authenticated:
        return {
            "unread": None,
            "shop_unread": {},
            "want_unread": None,
            "people_waiting": 0,
            "my_shops": [],
        }
    try:
        # Asked already for the clients' tokens: kept for the request, not asked again.
        shops = identity.my_shops()
    except (ServiceError, ServiceUnavailable):
        shops = []
    with reading() as session:
        waiting = people_services.requests_waiting(session, current_user.id)
    unread = found[_UNREAD]
    return {
        "unread": unread,
        # Per shop id, for the seller portal's menu and dashboard.
        "shop_unread": dict((unread or {}).get("shops") or {}),
        "want_unread": found[_WANTS],
        "people_waiting": waiting,
        "my_shops": shops,
    }
