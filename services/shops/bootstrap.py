"""Wires the shops service once, for the web app and the worker alike."""

from __future__ import annotations

from services.common.runtime import Runtime, build_runtime
from services.shops.config import Settings


def bootstrap(settings: Settings | None = None) -> Runtime:
    settings = settings or Settings()
    return build_runtime("shops", settings, settings.resolved_database_url())
