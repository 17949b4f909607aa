"""The orders service's settings: environment variables, with working local defaults."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from services.common.settings import CommonSettings


class Settings(CommonSettings):
    database_url: str = Field(
        default="", validation_alias=AliasChoices("ORDERS_DATABASE_URL", "DATABASE_URL")
    )
    # The shops service is the authority on listings' prices and stock.
    shops_url: str = Field(default="http://127.0.0.1:8001", alias="SHOPS_URL")
    # Seconds to wait for the shops service: a buyer would rather retry than wait long.
    shops_timeout: float = Field(default=3.0, alias="SHOPS_TIMEOUT")

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("orders")
