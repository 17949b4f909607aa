"""Wires the orders service once, for the web app and the worker alike."""

from __future__ import annotations

from services.common.runtime import Runtime, build_runtime
from services.orders.config import Settings
from services.orders.listings import ListingDirectory
from services.orders.payments.embedded import EmbeddedTestProvider
from services.orders.payments.port import Payments
from services.orders.shops_client import HttpListingDirectory


def bootstrap(settings: Settings | None = None) -> Runtime:
    settings = settings or Settings()
    return build_runtime("orders", settings, settings.resolved_database_url())


def orders_settings(runtime: Runtime) -> Settings:
    settings = runtime.settings
    assert isinstance(settings, Settings), "the orders runtime carries the orders settings"
    return settings


def listing_directory(runtime: Runtime) -> ListingDirectory:
    settings = orders_settings(runtime)
    return HttpListingDirectory(settings.shops_url, timeout=settings.shops_timeout)


def payment_providers(runtime: Runtime) -> Payments:
    name = orders_settings(runtime).payment_provider
    if name != "test":
        raise ValueError(f"unknown ORDERS_PAYMENT_PROVIDER {name!r}: only 'test' exists")
    return EmbeddedTestProvider
