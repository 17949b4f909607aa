from __future__ import annotations

from pydantic import AliasChoices, Field

from services.common.settings import CommonSettings


class Settings(CommonSettings):
    database_url: str = Field(
        default="", validation_alias=AliasChoices("SHOPS_DATABASE_URL", "DATABASE_URL")
    )
    # The worker's /healthz, /readyz and /metrics (the web process has SHOPS_PORT).
    worker_port: int = Field(default=8011, ge=0, alias="SHOPS_WORKER_PORT")

    # Days a delivery address is kept after its part is shipped (or delivered), cancelled
    # or declined; then only its country is left. The same setting for orders and shops.
    address_retention_days: int = Field(default=90, ge=1, alias="ADDRESS_RETENTION_DAYS")

    # How long before an unanswered order is declined its shop is reminded (by mail).
    answer_reminder_hours: float = Field(default=12.0, gt=0, alias="ANSWER_REMINDER_HOURS")

    # Photos named by address in an inventory file: the worker fetches each with this
    # timeout (seconds, to connect and between bytes). Addresses of this machine or of a
    # private network are refused unless allowed (local development and tests).
    photo_fetch_timeout: float = Field(default=10.0, gt=0, alias="PHOTO_FETCH_TIMEOUT")
    photo_fetch_allow_private: bool = Field(default=False, alias="PHOTO_FETCH_ALLOW_PRIVATE")

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("shops")
