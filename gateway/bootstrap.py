"""Wires the gateway once: its own database (accounts) and the clients of the services."""

from __future__ import annotations

from gateway.config import Settings
from services.common.runtime import Runtime, build_runtime


def bootstrap(settings: Settings | None = None) -> Runtime:
    settings = settings or Settings()
    # The gateway never touches the broker; the runtime's topology is simply unused here.
    return build_runtime("gateway", settings, settings.resolved_database_url())
