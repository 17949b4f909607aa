"""Who is using the site, and how the gateway speaks for them to the services.

Flask-Login keeps "<user id>:<session version>" in the signed session cookie; a cookie whose
version is no longer the user's (after logging out elsewhere or changing the password) loads
nobody. The user's shops are asked of the shops service once per request (every service
token lists them), never kept in the session: membership is the shops service's, and current.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from flask import Response, current_app, flash, g, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user
from sqlalchemy.orm import Session

from gateway import account_services
from gateway.clients import CatalogClient, OrdersClient, ServiceUnavailable, ShopsClient
from gateway.config import Settings
from gateway.db import User
from services.common.auth import (
    Operator,
    Principal,
    issue_operator_token,
    issue_service_token,
    issue_token,
)
from services.common.runtime import Runtime

SHOPS_KEY = "my_shops"


@dataclass
class SignedInUser(UserMixin):
    """What a request knows about the person: detached from any database session."""

    id: str
    email: str
    display_name: str
    session_version: int
    email_verified: bool = False
    # The platform's operator: /admin/ is theirs; they neither shop nor sell.
    is_operator: bool = False

    @classmethod
    def of(cls, user: User) -> SignedInUser:
        return cls(
            user.id,
            user.email,
            user.display_name,
            user.session_version,
            user.email_verified,
            bool(user.is_operator),
        )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


def runtime() -> Runtime:
    return current_app.extensions["runtime"]


def settings() -> Settings:
    return runtime().settings  # type: ignore[return-value]


def db() -> Session:
    """The request's database session, closed when the request ends."""
    if "db" not in g:
        g.db = runtime().session_factory()
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    session_ = g.pop("db", None)
    if session_ is not None:
        session_.close()


def load_user(cookie_id: str) -> SignedInUser | None:
    user_id, _, version = cookie_id.partition(":")
    if not version.isdigit():
        return None
    # A session of its own, closed at once: on SQLite every transaction holds the write
    # lock, and this one must not stay open while the page waits for the services.
    with runtime().session_factory() as session_:
        user = account_services.load_session_user(session_, user_id, int(version))
        return SignedInUser.of(user) if user else None


def configure_login(app_login: LoginManager) -> None:
    app_login.user_loader(load_user)
    app_login.unauthorized_handler(_ask_to_log_in)


def _ask_to_log_in() -> Response:
    # Come back to this page afterwards. A form posted while logged out returns to the page
    # it was on (its path), which shows the form again.
    if request.method == "GET":
        target = request.full_path.rstrip("?")
    else:
        target = request.path
    flash("Log in to continue.", "info")
    return redirect(url_for("account.login", next=target))


ClientT = TypeVar("ClientT")

# --- speaking to the services -------------------------------------------------------------


def _token(shop_ids: list[str]) -> str | None:
    if not current_user.is_authenticated or current_user.is_operator:
        # An operator's only token is an operator's (operator_token): never a person's.
        return None
    principal = Principal(current_user.id, current_user.display_name, frozenset(shop_ids))
    return issue_token(principal, secret=settings().service_token_secret)


CLIENT_FACTORY = "client_factory"


def _client(cls: type, base_url: str, token: str | None):  # noqa: ANN202 - a client class
    # Page tests put a factory of fakes of the same classes here (tests/gateway/fakes.py).
    factory = current_app.extensions.get(CLIENT_FACTORY)
    if factory is not None:
        return factory(cls, base_url, token)
    return cls(base_url, token=token, timeout=settings().service_timeout)


def shops_client() -> ShopsClient:
    return _client(ShopsClient, settings().shops_url, _token(my_shop_ids()))


def catalog_client() -> CatalogClient:
    return _client(CatalogClient, settings().catalog_url, _token(_shop_ids_if_known()))


def orders_client() -> OrdersClient:
    return _client(OrdersClient, settings().orders_url, _token(_shop_ids_if_known()))


def guest_orders_client(guest_id: str, name: str = "Guest") -> OrdersClient:
    """The orders service, spoken to for a visitor without an account: the guest id stands
    for them (the owner of a guest cart, the buyer of a guest order), named as on their
    parcels."""
    token = issue_token(
        Principal(guest_id, name or "Guest"), secret=settings().service_token_secret
    )
    return _client(OrdersClient, settings().orders_url, token)


def client_of(cls: type[ClientT], service: str) -> ClientT:
    """A client of `service` ("shops", "catalog" or "orders") acting for the signed-in person,
    whose token names the shops the person belongs to now."""
    base_url = {
        "shops": settings().shops_url,
        "catalog": settings().catalog_url,
        "orders": settings().orders_url,
    }[service]
    shop_ids = my_shop_ids() if service == "shops" else _shop_ids_if_known()
    return _client(cls, base_url, _token(shop_ids))


def service_client_of(cls: type[ClientT], service: str) -> ClientT:
    """A client of `service` for a call the gateway makes as itself, not for the person:
    its token opens only the routes meant for the gateway (e.g. who bought where)."""
    base_url = {
        "shops": settings().shops_url,
        "catalog": settings().catalog_url,
        "orders": settings().orders_url,
    }[service]
    token = issue_service_token("gateway", secret=settings().service_token_secret)
    return _client(cls, base_url, token)


def my_shops(*, refresh: bool = False) -> list[dict]:
    """The signed-in user's shops, as the shops service says now.

    Asked once per request and never kept in the session: an owner who removes a member
    takes the shop away from that person's very next page. `refresh` is kept for callers
    that ask again within the same request after changing a shop.
    """
    if not current_user.is_authenticated or current_user.is_operator:
        return []
    if refresh or SHOPS_KEY not in g:
        # Asking which shops one has needs no shop in the token.
        client = _client(ShopsClient, settings().shops_url, _token([]))
        g.my_shops = [
            {
                key: shop.get(key)
                for key in ("id", "name", "slug", "signature", "currency", "suspension")
            }
            for shop in client.my_shops()
        ]
    return g.my_shops


def my_shop_ids() -> list[str]:
    return [shop["id"] for shop in my_shops()]


def _shop_ids_if_known() -> list[str]:
    # The buyer's side and the catalog act on the person, not on a shop: while the shops
    # service is down, their pages still work, with a token that names no shop.
    if not current_user.is_authenticated or g.get("shops_unavailable"):
        return []
    try:
        return my_shop_ids()
    except ServiceUnavailable:
        g.shops_unavailable = True  # asked once per request, not once per client
        return []


def forget_shops() -> None:
    g.pop(SHOPS_KEY, None)
    # Sessions from before shops were read per request may still hold a copy: drop it.
    session.pop(SHOPS_KEY, None)


def operator_token() -> str | None:
    """The signed-in operator's token, for the operator routes of each service; None for
    anyone else, so nobody else's page can ever send one."""
    if not current_user.is_authenticated or not current_user.is_operator:
        return None
    operator = Operator(current_user.id, current_user.display_name)
    return issue_operator_token(operator, secret=settings().service_token_secret)


def operator_client_of(cls: type[ClientT], service: str) -> ClientT:
    base_url = {"shops": settings().shops_url, "orders": settings().orders_url}[service]
    return _client(cls, base_url, operator_token())
