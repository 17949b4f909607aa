"""A cart for the shopper who has not logged in: kept by the orders service under a guest id,
which this browser holds in a signed cookie of its own, and joined to the account's cart the
moment they log in, or follow the mailed link that ends signing up (Flask-Login's
user_logged_in signal, sent by views/account.py's _start_session).

The cookie is not the session's: logging in starts a fresh session, and the cart must
outlive that.
"""

from __future__ import annotations

import logging
import secrets

from flask import Response, after_this_request, current_app, flash, g, has_request_context, request
from flask_login import current_user, user_logged_in
from itsdangerous import BadSignature, URLSafeSerializer

from gateway.clients import OrdersClient, ServiceError, ServiceUnavailable
from gateway.identity import guest_orders_client, orders_client, settings

log = logging.getLogger(__name__)
COOKIE = "guest_cart"
# The orders service only merges carts whose ids start so (services.orders.use_cases).
PREFIX = "guest:"
KEPT_DAYS = 30


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="guest-cart")


def guest_id(*, create: bool = False) -> str | None:
    """This browser's guest cart id; with `create`, one is made (and its cookie set)."""
    if "guest_cart_id" in g:
        return g.guest_cart_id
    found = None
    raw = request.cookies.get(COOKIE)
    if raw:
        try:
            value = _signer().loads(raw)
        except BadSignature:
            value = None
        found = value if isinstance(value, str) and value.startswith(PREFIX) else None
    if found is None and create:
        found = PREFIX + secrets.token_urlsafe(18)
        signed = _signer().dumps(found)

        @after_this_request
        def _keep(response: Response) -> Response:
            response.set_cookie(
                COOKIE,
                signed,
                max_age=KEPT_DAYS * 24 * 3600,
                httponly=True,
                samesite="Lax",
                secure=settings().cookie_secure,
            )
            return response

    g.guest_cart_id = found
    return found


def cart_client(*, create: bool = False) -> OrdersClient | None:
    """The orders client for the cart of whoever is here: the account's when signed in,
    else the guest's (None when a guest has no cart yet and `create` is false)."""
    if current_user.is_authenticated:
        return orders_client()
    guest = guest_id(create=create)
    if guest is None:
        return None
    return guest_orders_client(guest)


@user_logged_in.connect
def _merge_on_log_in(_app: object, **_extra: object) -> None:
    """Logged in or signed up: the guest cart joins the account's, and its cookie goes."""
    if not has_request_context() or COOKIE not in request.cookies:
        return
    guest = guest_id()

    @after_this_request
    def _forget(response: Response) -> Response:
        response.delete_cookie(COOKIE)
        return response

    if guest is None:
        return
    try:
        merged = orders_client().merge_cart(guest)
    except (ServiceError, ServiceUnavailable) as error:
        log.warning("guest cart not merged", extra={"error": str(error)[:300]})
        flash("The items you added before logging in could not be kept; add them again.", "error")
        return
    for title in merged.get("left_out") or []:
        flash(f"“{title}” is priced in another currency than your cart and was left out.", "info")
