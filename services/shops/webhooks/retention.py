"""Forgetting what is no longer needed: the public API's idempotency answers after a day
(a retry comes within minutes), webhook deliveries a month after they ended."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import sessionmaker

from services.common.clock import utcnow
from services.shops.db import IdempotentRequest, WebhookDelivery

IDEMPOTENCY_KEPT = timedelta(days=1)
DELIVERIES_KEPT = timedelta(days=30)


def forget_old(session_factory: sessionmaker) -> tuple[int, int]:
    """How many idempotency answers and deliveries were deleted."""
    now = utcnow()
    with session_factory.begin() as session:
        answers = session.execute(
            delete(IdempotentRequest).where(IdempotentRequest.created_at < now - IDEMPOTENCY_KEPT)
        ).rowcount
        deliveries = session.execute(
            delete(WebhookDelivery).where(
                WebhookDelivery.status != "pending",
                WebhookDelivery.created_at < now - DELIVERIES_KEPT,
            )
        ).rowcount
    return answers, deliveries
