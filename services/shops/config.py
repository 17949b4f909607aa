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

    # The public API's limit per token (Flask-Limiter's notation), and where the counts are
    # kept: memory:// counts per process; a shared store (redis://...) counts across replicas.
    public_api_rate_limit: str = Field(default="600/minute", alias="PUBLIC_API_RATE_LIMIT")
    # Spelled as the gateway's; the earlier RATE_LIMIT_STORAGE_URI is still read.
    rate_limit_storage_url: str = Field(
        default="memory://",
        validation_alias=AliasChoices("RATE_LIMIT_STORAGE_URL", "RATE_LIMIT_STORAGE_URI"),
    )

    # Webhooks (services/shops/webhooks): the sending process's probe port, a receiver's
    # time to answer, the first retry's delay (doubling up to an hour) and how long a
    # delivery, or an endpoint that fails every time, is tried before giving up. Loopback
    # and plain http:// receivers only where WEBHOOK_ALLOW_LOCAL is set: in development.
    webhooks_port: int = Field(default=8015, ge=0, alias="SHOPS_WEBHOOKS_PORT")
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, alias="WEBHOOK_TIMEOUT_SECONDS")
    webhook_retry_base_seconds: float = Field(default=30.0, gt=0, alias="WEBHOOK_RETRY_SECONDS")
    webhook_give_up_hours: float = Field(default=24.0, gt=0, alias="WEBHOOK_GIVE_UP_HOURS")
    webhook_allow_local: bool = Field(default=False, alias="WEBHOOK_ALLOW_LOCAL")
    webhook_threads: int = Field(default=16, ge=1, alias="WEBHOOK_THREADS")

    # Photos named by address in an inventory file: the worker fetches each with this
    # timeout (seconds, to connect and between bytes). Addresses of this machine or of a
    # private network are refused unless allowed (local development and tests).
    photo_fetch_timeout: float = Field(default=10.0, gt=0, alias="PHOTO_FETCH_TIMEOUT")
    photo_fetch_allow_private: bool = Field(default=False, alias="PHOTO_FETCH_ALLOW_PRIVATE")

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("shops")
