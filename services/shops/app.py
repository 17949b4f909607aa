"""The shops service's HTTP API: the shop at the edge."""

from __future__ import annotations

from flask import Flask

from services.common.logs import configure_logging
from services.common.openapi import serve_openapi
from services.common.photo_store import PhotoSettings, PhotoStore, photo_store
from services.common.runtime import Runtime
from services.common.web import broker_ready, database_ready, register_common
from services.shops.api import BLUEPRINTS
from services.shops.api.docs import spec
from services.shops.api.public import configure_public_api
from services.shops.bootstrap import bootstrap


def create_app(runtime: Runtime | None = None, *, photos: PhotoStore | None = None) -> Flask:
    runtime = runtime or bootstrap()
    configure_logging("shops", runtime.settings.log_level)
    app = Flask(__name__)
    app.config["SERVICE_TOKEN_SECRET"] = runtime.settings.service_token_secret
    app.extensions["runtime"] = runtime
    app.extensions["photo_store"] = photos or photo_store(
        PhotoSettings(data_dir=runtime.settings.data_dir)
    )
    register_common(
        app,
        service="shops",
        metrics_token=runtime.settings.metrics_token,
        readiness={
            "database": database_ready(runtime.engine),
            "broker": broker_ready(runtime.settings.amqp_url),
        },
    )
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    configure_public_api(
        app,
        rate_limit=runtime.settings.public_api_rate_limit,
        storage_uri=runtime.settings.rate_limit_storage_url,
    )
    serve_openapi(app, spec)
    return app
