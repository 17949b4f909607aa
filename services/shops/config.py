from __future__ import annotations

from pydantic import AliasChoices, Field

from services.common.settings import CommonSettings


class Settings(CommonSettings):
    database_url: str = Field(
        default="", validation_alias=AliasChoices("SHOPS_DATABASE_URL", "DATABASE_URL")
    )

    # How long before an unanswered order is declined its shop is reminded (by mail).
    answer_reminder_hours: float = Field(default=12.0, gt=0, alias="ANSWER_REMINDER_HOURS")

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("shops")
