from __future__ import annotations

from pydantic import AliasChoices, Field

from services.common.settings import CommonSettings


class Settings(CommonSettings):
    database_url: str = Field(
        default="", validation_alias=AliasChoices("SHOPS_DATABASE_URL", "DATABASE_URL")
    )

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("shops")
