"""The gateway's web app: the shopper site at `/` and the seller portal at `/sell/`."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask, render_template, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from gateway import identity, portal
from gateway.bootstrap import bootstrap
from gateway.clients import ServiceError, ServiceUnavailable
from gateway.config import Settings
from gateway.encoding import configure_encoding_check
from gateway.extensions import csrf, limiter, login_manager
from gateway.forms import CONDITION_LABELS, ActionForm
from gateway.headers import configure_headers
from gateway.money import format_money
from gateway.pages import sell_common
from gateway.tracking import tracking_url
from gateway.views import (
    account,
    addresses,
    admin,
    aftersale,
    guest_checkout,
    mail,
    messages,
    my_account,
    people,
    photos,
    reviews,
    shop,
    shop_orders,
    wants,
)
from services.common.logs import configure_logging
from services.common.runtime import Runtime
from services.common.web import database_ready, register_common

log = logging.getLogger(__name__)


def create_app(runtime: Runtime | None = None) -> Flask:
    runtime = runtime or bootstrap()
    settings: Settings = runtime.settings  # type: ignore[assignment]
    configure_logging("gateway", settings.log_level)
    app = Flask(__name__)
    app.extensions["runtime"] = runtime
    configure_encoding_check(app)
    configure_security(app, settings)
    configure_headers(app)
    configure_templates(app, settings)
    # Health, readiness and metrics first: the HTML error handler below replaces its JSON one.
    register_common(
        app,
        service="gateway",
        readiness={"database": database_ready(runtime.engine)},
        metrics_token=settings.metrics_token,
        public=True,
    )
    configure_errors(app)
    app.register_blueprint(account.blueprint)
    app.register_blueprint(my_account.blueprint)
    app.register_blueprint(shop.blueprint)
    app.register_blueprint(shop_orders.blueprint)
    app.register_blueprint(guest_checkout.blueprint)
    for feature in (messages, reviews, wants, people, addresses, mail, aftersale):
        app.register_blueprint(feature.blueprint)
    app.register_blueprint(portal.blueprint, url_prefix="/sell")
    app.register_blueprint(admin.blueprint, url_prefix="/admin")
    photos.configure_photos(app, data_dir=settings.data_dir)
    app.teardown_appcontext(identity.close_db)
    return app


def configure_security(app: Flask, settings: Settings) -> None:
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(days=14),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session that holds it
        RATELIMIT_STORAGE_URI=settings.rate_limit_storage_url,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    identity.configure_login(login_manager)


def configure_templates(app: Flask, settings: Settings) -> None:
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["condition"] = lambda value: CONDITION_LABELS.get(value or "", value)
    app.jinja_env.filters["when"] = _format_when
    app.jinja_env.filters["unsigned"] = _without_signature
    app.jinja_env.globals["tracking_url"] = tracking_url

    @app.context_processor
    def layout_values() -> dict:
        return {
            "action_form": ActionForm(),
            "site_name": settings.site_name,
            "search_query": request.args.get("q", "") if request.endpoint == "shop.search" else "",
            "user": current_user,
        }


def _format_when(value: str | None) -> str:
    # Services send ISO 8601; people read "2024-05-01 14:03".
    if not value:
        return ""
    return str(value).replace("T", " ")[:16]


def _without_signature(note: str | None, signed_by: str | None) -> str:
    # The letter shows "— <signed_by>" under the note; a note the seller already signed
    # with the same words (the ship form starts that way) would otherwise be signed twice.
    note = (note or "").rstrip()
    if signed_by and note.endswith(signed_by.strip()):
        note = note[: -len(signed_by.strip())].rstrip()
    return note


# What a person cannot do while a service is down, said on the page that failed for it.
UNAVAILABLE_PARTS = {
    "catalog": "search, the listings and want lists",
    "orders": "carts, orders and messages",
    "shops": "the shops' pages and the seller portal",
    "notifications": "mail settings",
}


def configure_errors(app: Flask) -> None:
    # Error pages are rendered as they are, without the menus' counts: they must not ask
    # again the services that may be why the page failed.
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # noqa: ANN202 - Flask accepts (body, status)
        return render_template("errors/error.html", error=error), error.code or 500

    @app.errorhandler(ServiceUnavailable)
    def service_unavailable(error: ServiceUnavailable):  # noqa: ANN202
        log.warning("service unavailable", extra={"service": error.service, "error": str(error)})
        part = UNAVAILABLE_PARTS.get(error.service)
        return render_template("errors/unavailable.html", part=part), 503

    @app.errorhandler(ServiceError)
    def service_refused(error: ServiceError):  # noqa: ANN202
        # Views turn the errors they expect into form messages; this is for the rest.
        if error.status == 401:
            # Our own token was refused: a configuration fault, not the person's.
            log.error("a service refused the gateway's token", extra={"error": error.message})
            return render_template("errors/unavailable.html"), 503
        if error.status in (403, 404) and request.path.startswith("/sell"):
            # The shop this session had cached may have removed the person meanwhile.
            left = sell_common.left_shop_redirect()
            if left is not None:
                return left
        return render_template("errors/refused.html", error=error), error.status
