"""Wires the gateway once: its own database (accounts) and the clients of the services."""

from __future__ import annotations

from gateway.config import Settings
from services.common.runtime import Runtime, build_runtime


def bootstrap(settings: Settings | None = None) -> Runtime:
    settings = settings or Settings()
    # The web app never touches the broker: its account events wait in the outbox, and the
    # gateway's worker (gateway.worker) relays them.
    return build_runtime("gateway", settings, settings.resolved_database_url())
