"""The notifications service's HTTP API: mail preferences and unsubscribe."""

from __future__ import annotations

from flask import Flask

from services.common.logs import configure_logging
from services.common.openapi import serve_openapi
from services.common.runtime import Runtime
from services.common.web import broker_ready, database_ready, register_common
from services.notifications.api import blueprint, spec
from services.notifications.bootstrap import bootstrap


def create_app(runtime: Runtime | None = None) -> Flask:
    runtime = runtime or bootstrap()
    configure_logging("notifications", runtime.settings.log_level)
    app = Flask(__name__)
    app.config["SERVICE_TOKEN_SECRET"] = runtime.settings.service_token_secret
    app.extensions["runtime"] = runtime
    register_common(
        app,
        service="notifications",
        readiness={
            "database": database_ready(runtime.engine),
            "broker": broker_ready(runtime.settings.amqp_url),
        },
    )
    app.register_blueprint(blueprint)
    serve_openapi(app, spec)
    return app
