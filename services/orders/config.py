"""The orders service's settings: environment variables, with working local defaults."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from services.common.settings import CommonSettings


class Settings(CommonSettings):
    database_url: str = Field(
        default="", validation_alias=AliasChoices("ORDERS_DATABASE_URL", "DATABASE_URL")
    )
    # The worker's /healthz, /readyz and /metrics (the web process has ORDERS_PORT).
    worker_port: int = Field(default=8013, ge=0, alias="ORDERS_WORKER_PORT")
    # The shops service is the authority on listings' prices and stock.
    shops_url: str = Field(default="http://127.0.0.1:8001", alias="SHOPS_URL")
    # Seconds to wait for the shops service: a buyer would rather retry than wait long.
    shops_timeout: float = Field(default=3.0, alias="SHOPS_TIMEOUT")
    # Only the embedded test provider exists so far ("test"); its state is in our database.
    payment_provider: str = Field(default="test", alias="ORDERS_PAYMENT_PROVIDER")
    # The platform's commission in basis points (1000 = 10%), frozen on each part when sold.
    commission_bps: int = Field(default=1000, ge=0, le=10000, alias="ORDERS_COMMISSION_BPS")
    # How long a buyer has to answer a shop's extra charge before the part is called off.
    extra_charge_answer_days: float = Field(
        default=3.0, gt=0, le=30, alias="ORDERS_EXTRA_CHARGE_ANSWER_DAYS"
    )
    # How long after shipping a buyer may report a problem with a part, and how long a shop
    # has to answer it before the buyer may take it to the platform.
    problem_report_days: float = Field(
        default=30.0, gt=0, le=365, alias="ORDERS_PROBLEM_REPORT_DAYS"
    )
    case_answer_days: float = Field(default=3.0, gt=0, le=60, alias="ORDERS_CASE_ANSWER_DAYS")

    # Days a delivery address is kept after its part is shipped (or delivered), cancelled
    # or declined; then only its country is left. The same setting for orders and shops.
    address_retention_days: int = Field(default=90, ge=1, alias="ADDRESS_RETENTION_DAYS")
    # A checkout's authorization that no order uses after this many minutes belongs to a
    # checkout that died: the orders worker voids it.
    orphan_authorization_minutes: float = Field(
        default=10.0, gt=0, alias="ORDERS_ORPHAN_AUTHORIZATION_MINUTES"
    )

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("orders")
