"""Idempotency answers are kept a day, ended deliveries a month; pending ones always."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from services.common.clock import utcnow
from services.shops.db import IdempotentRequest, WebhookDelivery
from services.shops.webhooks.retention import forget_old
from tests.shops.public_api.conftest import item, token_shop
from tests.shops.webhooks.conftest import hooked_shop

pytestmark = pytest.mark.integration


def test_old_answers_and_ended_deliveries_are_forgotten(local_shops):
    shop = token_shop(local_shops, "Ada")
    shop.call(
        "POST", "/listings/bulk", json={"listings": [item("A")]}, headers={"Idempotency-Key": "old"}
    )
    shop.call(
        "POST", "/listings/bulk", json={"listings": [item("B")]}, headers={"Idempotency-Key": "new"}
    )
    hooked = hooked_shop(local_shops, "http://localhost:9/hooks", "Bea")
    hooked.place_order()
    hooked.place_order()
    with local_shops.runtime.session_factory.begin() as session:
        session.execute(
            update(IdempotentRequest)
            .where(IdempotentRequest.key == "old")
            .values(created_at=utcnow() - timedelta(days=2))
        )
        session.execute(update(WebhookDelivery).values(created_at=utcnow() - timedelta(days=40)))
        first = session.query(WebhookDelivery).first()
        first.status = "delivered"

    assert forget_old(local_shops.runtime.session_factory) == (1, 1)
    assert local_shops.count(IdempotentRequest) == 1
    assert local_shops.count(WebhookDelivery) == 1  # the pending one stays
