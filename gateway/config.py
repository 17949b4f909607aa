from __future__ import annotations

from pydantic import AliasChoices, Field

from services.common.settings import CommonSettings


class Settings(CommonSettings):
    database_url: str = Field(
        default="", validation_alias=AliasChoices("GATEWAY_DATABASE_URL", "DATABASE_URL")
    )
    # Signs the session cookie and the CSRF tokens. Production sets its own.
    secret_key: str = Field(
        default="local-development-gateway-key-change-me", alias="GATEWAY_SECRET_KEY"
    )
    # True wherever the site is served over HTTPS, i.e. everywhere but local development.
    cookie_secure: bool = Field(default=False, alias="COOKIE_SECURE")
    # How many reverse proxies in front of us set X-Forwarded-For; 0 trusts none of them.
    trusted_proxies: int = Field(default=0, alias="TRUSTED_PROXIES")
    shops_url: str = Field(default="http://127.0.0.1:8001", alias="SHOPS_URL")
    catalog_url: str = Field(default="http://127.0.0.1:8002", alias="CATALOG_URL")
    orders_url: str = Field(default="http://127.0.0.1:8003", alias="ORDERS_URL")
    notifications_url: str = Field(default="http://127.0.0.1:8004", alias="NOTIFICATIONS_URL")
    # Seconds a page waits for a service before telling the person to try again.
    service_timeout: float = Field(default=5.0, alias="SERVICE_TIMEOUT")

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("gateway")
