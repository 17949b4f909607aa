"""The notifications service's configuration, read from the environment only."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from services.common.settings import CommonSettings


class Settings(CommonSettings):
    database_url: str = Field(
        default="", validation_alias=AliasChoices("NOTIFICATIONS_DATABASE_URL", "DATABASE_URL")
    )
    worker_port: int = Field(default=8014, ge=0, alias="NOTIFICATIONS_WORKER_PORT")
    sender_port: int = Field(default=8016, ge=0, alias="NOTIFICATIONS_SENDER_PORT")
    # Where mails go: smtp://host:port, smtp+starttls://user:password@host:587, or
    # smtps://... for TLS from the first byte. Locally the mail catcher listens on 1025.
    smtp_url: str = Field(default="smtp://127.0.0.1:1025", alias="SMTP_URL")
    mail_from: str = Field(default="Storefront <mail@storefront.local>", alias="MAIL_FROM")
    # The site as people reach it: every link in a mail starts here.
    public_url: str = Field(default="http://127.0.0.1:8000", alias="PUBLIC_URL")
    # Signs the one-click unsubscribe links; empty means the service token secret.
    unsubscribe_secret: str = Field(default="", alias="UNSUBSCRIBE_SECRET")
    # Want-list matches are gathered into at most one mail per person this often.
    want_digest_minutes: float = Field(default=60.0, gt=0, alias="WANT_DIGEST_MINUTES")
    # Mails claimed and sent per turn of the sender; a claim lasts `send_lease_seconds`,
    # after which another sender process may take over a mail its sender never marked.
    send_batch: int = Field(default=50, ge=1, alias="MAIL_SEND_BATCH")
    send_lease_seconds: float = Field(default=120.0, gt=0, alias="MAIL_SEND_LEASE_SECONDS")
    # Longest pause between two tries of a mail the server put off (4xx) or could not take.
    retry_max_seconds: float = Field(default=600.0, gt=0, alias="MAIL_RETRY_MAX_SECONDS")

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("notifications")

    def resolved_unsubscribe_secret(self) -> str:
        return self.unsubscribe_secret or self.service_token_secret
