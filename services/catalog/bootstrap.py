"""Wires the catalog service once, for the web app and the worker alike."""

from __future__ import annotations

from dataclasses import dataclass

from services.catalog.config import Settings
from services.catalog.search.embedded import EmbeddedSearchIndex
from services.catalog.search.port import SearchIndex
from services.common.runtime import Runtime, build_runtime


@dataclass
class CatalogRuntime(Runtime):
    search_index: SearchIndex


def bootstrap(settings: Settings | None = None) -> CatalogRuntime:
    settings = settings or Settings()
    runtime = build_runtime("catalog", settings, settings.resolved_database_url())
    return CatalogRuntime(
        service=runtime.service,
        settings=runtime.settings,
        engine=runtime.engine,
        session_factory=runtime.session_factory,
        topology=runtime.topology,
        search_index=build_search_index(settings),
    )


def build_search_index(settings: Settings) -> SearchIndex:
    if settings.meili_url:
        # Imported here so processes on the embedded index never load the client.
        from services.catalog.search.meili import MeiliSearchIndex

        return MeiliSearchIndex(
            settings.meili_url, api_key=settings.meili_master_key, index_uid=settings.meili_index
        )
    return EmbeddedSearchIndex(settings.resolved_index_path())
