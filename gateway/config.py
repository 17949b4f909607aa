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
    # The gateway worker (the account events' relay) serves its probes and /metrics here.
    worker_port: int = Field(default=8010, ge=0, alias="GATEWAY_WORKER_PORT")
    # The storefront's name, in the header and every page's title.
    site_name: str = Field(default="Storefront", min_length=1, max_length=60, alias="SITE_NAME")
    # Seconds a page waits for a service before telling the person to try again.
    service_timeout: float = Field(default=5.0, alias="SERVICE_TIMEOUT")

    # The site's address as people reach it, for the links in account mails. Empty (local
    # development) takes the address of the request; behind a proxy set it, so a forged Host
    # header can never point a reset link elsewhere.
    public_url: str = Field(default="", alias="PUBLIC_URL")
    # Where the request rate limits (forgotten password, mailed links) are counted: in each
    # process's memory by default; a shared store such as "redis://host:6379" counts them
    # across every replica (any storage URI the `limits` library knows).
    rate_limit_storage_url: str = Field(default="memory://", alias="RATE_LIMIT_STORAGE_URL")

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("gateway")
