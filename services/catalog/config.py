"""The catalog's configuration, read from the environment only."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field

from services.common.settings import CommonSettings


class Settings(CommonSettings):
    database_url: str = Field(
        default="", validation_alias=AliasChoices("CATALOG_DATABASE_URL", "DATABASE_URL")
    )
    # The worker's /healthz, /readyz and /metrics (the web process has CATALOG_PORT).
    worker_port: int = Field(default=8012, ge=0, alias="CATALOG_WORKER_PORT")
    # The embedded search index lives in its own SQLite file, apart from the read model's
    # database, so it can be rebuilt or swapped for Meilisearch without a migration.
    index_path: Path | None = Field(
        default=None, validation_alias=AliasChoices("CATALOG_INDEX_PATH", "index_path")
    )

    # Meilisearch when MEILI_URL is set (docker-compose, production); else the embedded index.
    meili_url: str | None = Field(default=None, alias="MEILI_URL")
    meili_master_key: str | None = Field(default=None, alias="MEILI_MASTER_KEY")
    meili_index: str = Field(default="listings", alias="MEILI_INDEX")
    # Where the reindex command reads every listing from.
    shops_url: str = Field(default="http://127.0.0.1:8001", alias="SHOPS_URL")

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("catalog")

    def resolved_index_path(self) -> Path:
        return self.index_path or self.data_dir / "catalog-index.sqlite"
