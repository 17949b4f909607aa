from __future__ import annotations

from pydantic import AliasChoices, Field

from services.common.settings import CommonSettings


class Settings(CommonSettings):
    database_url: str = Field(
        default="", validation_alias=AliasChoices("SHOPS_DATABASE_URL", "DATABASE_URL")
    )
    # The worker's /healthz, /readyz and /metrics (the web process has SHOPS_PORT).
    worker_port: int = Field(default=8011, ge=0, alias="SHOPS_WORKER_PORT")

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("shops")
