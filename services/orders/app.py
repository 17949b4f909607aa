"""The orders service's HTTP API: cart, checkout, the buyer's orders."""

from __future__ import annotations

from flask import Flask

from services.common.logs import configure_logging
from services.common.openapi import serve_openapi
from services.common.runtime import Runtime
from services.common.web import broker_ready, database_ready, register_common
from services.orders import (
    addresses_api,
    aftersale_api,
    billing_api,
    buyers_api,
    conversations_api,
    operator_api,
    reviews_api,
)
from services.orders.api import LISTINGS_EXTENSION, PAYMENTS_EXTENSION, bp
from services.orders.api_docs import spec
from services.orders.bootstrap import bootstrap, listing_directory, payment_providers
from services.orders.http_errors import register_error_handlers
from services.orders.listings import ListingDirectory


def create_app(
    runtime: Runtime | None = None, *, listings: ListingDirectory | None = None
) -> Flask:
    """`listings` replaces the HTTP client of the shops service, e.g. in unit tests."""
    runtime = runtime or bootstrap()
    configure_logging("orders", runtime.settings.log_level)
    app = Flask(__name__)
    app.config["SERVICE_TOKEN_SECRET"] = runtime.settings.service_token_secret
    app.extensions["runtime"] = runtime
    app.extensions[LISTINGS_EXTENSION] = listings or listing_directory(runtime)
    app.extensions[PAYMENTS_EXTENSION] = payment_providers(runtime)
    register_common(
        app,
        service="orders",
        metrics_token=runtime.settings.metrics_token,
        readiness={
            "database": database_ready(runtime.engine),
            "broker": broker_ready(runtime.settings.amqp_url),
        },
    )
    register_error_handlers(app)
    app.register_blueprint(bp)
    app.register_blueprint(billing_api.bp)
    app.register_blueprint(reviews_api.bp)
    app.register_blueprint(buyers_api.bp)
    app.register_blueprint(conversations_api.bp)
    app.register_blueprint(addresses_api.bp)
    app.register_blueprint(aftersale_api.bp)
    app.register_blueprint(operator_api.bp)
    serve_openapi(app, spec)
    return app
