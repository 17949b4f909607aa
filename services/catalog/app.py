"""The catalog service's HTTP API: search and listing detail."""

from __future__ import annotations

from flask import Flask

from services.catalog.api import blueprint
from services.catalog.bootstrap import CatalogRuntime, bootstrap
from services.catalog.search.port import SearchQuery
from services.catalog.wants import api as wants_api
from services.common.logs import configure_logging
from services.common.web import broker_ready, database_ready, register_common


def create_app(runtime: CatalogRuntime | None = None) -> Flask:
    runtime = runtime or bootstrap()
    configure_logging("catalog", runtime.settings.log_level)
    app = Flask(__name__)
    app.config["SERVICE_TOKEN_SECRET"] = runtime.settings.service_token_secret
    app.extensions["runtime"] = runtime
    register_common(
        app,
        service="catalog",
        metrics_token=runtime.settings.metrics_token,
        readiness={
            "database": database_ready(runtime.engine),
            "broker": broker_ready(runtime.settings.amqp_url),
            "search": lambda: runtime.search_index.search(SearchQuery(per_page=1)),
        },
    )
    app.register_blueprint(blueprint)
    app.register_blueprint(wants_api.blueprint)
    return app
