"""Wires the notifications service once, for the web app and the worker alike."""

from __future__ import annotations

from services.common.runtime import Runtime, build_runtime
from services.notifications.config import Settings


def bootstrap(settings: Settings | None = None) -> Runtime:
    settings = settings or Settings()
    return build_runtime("notifications", settings, settings.resolved_database_url())
