"""Configuration shared by every process, read from the environment only.

Each service extends `CommonSettings` with its own fields. Names are plain environment
variables (AMQP_URL, SERVICE_TOKEN_SECRET, ...); per-service values such as the database
carry the service's name (SHOPS_DATABASE_URL) so one honcho environment can run them all.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    return REPO_ROOT / "var"


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    amqp_url: str = Field(default="amqp://guest:guest@127.0.0.1:5672/%2F", alias="AMQP_URL")
    # Every exchange and queue name starts with this prefix, so test runs and several
    # deployments can share one broker without seeing each other's messages.
    amqp_prefix: str = Field(default="storefront", alias="AMQP_PREFIX")
    amqp_prefetch: int = Field(default=200, alias="AMQP_PREFETCH")
    # Messages applied in one transaction by a worker; larger holds the write lock longer.
    amqp_batch: int = Field(default=50, ge=1, alias="AMQP_BATCH")
    # The broker's own limit is a high backstop only: it also counts deliveries to a worker
    # that died before acknowledging, which says nothing about the message. A message whose
    # handler fails is parked by the consumer after MESSAGE_PARK_AFTER failures instead.
    amqp_delivery_limit: int = Field(default=50, ge=1, alias="AMQP_DELIVERY_LIMIT")
    message_park_after: int = Field(default=5, ge=1, alias="MESSAGE_PARK_AFTER")
    # Sent outbox rows and inbox rows are deleted this long after they were sent or applied.
    # The inbox drops a redelivered message only while its row is kept, so this must be
    # far longer than any redelivery takes (a broker requeue or a relay's re-publish after
    # a crash: seconds to minutes). Unsent and set-aside events are never deleted.
    message_retention_days: int = Field(default=7, ge=1, alias="MESSAGE_RETENTION_DAYS")
    # An event the broker refused this many times (unroutable, or nacked) is set aside for
    # an operator (`manage <service> outbox stuck list|retry`) instead of being tried for
    # ever at the head of the relay's page.
    outbox_max_attempts: int = Field(default=25, ge=1, alias="OUTBOX_MAX_ATTEMPTS")
    # Where a worker serves /healthz, /readyz and /metrics (its port is a per-service
    # setting, such as SHOPS_WORKER_PORT; 0 picks a free one).
    bind_host: str = Field(default="127.0.0.1", alias="BIND_HOST")
    service_token_secret: str = Field(
        default="local-development-secret-change-me", alias="SERVICE_TOKEN_SECRET"
    )
    data_dir: Path = Field(default_factory=default_data_dir, alias="DATA_DIR")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    # Seconds between two looks at the outbox when it was empty.
    # A placed order waits half of it on average before it is published.
    relay_interval: float = Field(default=0.02, alias="RELAY_INTERVAL")
    # The bearer token Prometheus sends for /metrics. Empty: the internal services serve it
    # to anyone who reaches them, and the gateway, which faces the public, not at all.
    metrics_token: str = Field(default="", alias="METRICS_TOKEN")

    def sqlite_url(self, name: str) -> str:
        return f"sqlite:///{self.data_dir / (name + '.db')}"
