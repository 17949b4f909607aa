"""The owner registers a webhook receiver in the portal, sees it, and removes it."""

from __future__ import annotations

import re

from tests.gateway.helpers import text
from tests.gateway.sell.helpers import submit


def test_the_owner_registers_sees_and_removes_a_receiver(seller):
    assert 'href="/sell/settings/webhooks"' in text(seller.client.get("/sell/settings"))
    added = submit(
        seller.client,
        "/sell/settings/webhooks",
        {"url": "https://93.184.215.14/hooks", "events": ["order.placed", "message.received"]},
    )
    assert added.status_code == 302
    page = text(seller.client.get("/sell/settings/webhooks"))
    assert "https://93.184.215.14/hooks" in page and "order.placed, message.received" in page
    assert re.search(r"<code>whsec_[A-Za-z0-9_-]+</code>", page)
    endpoint_id = re.search(r'data-endpoint-id="([0-9a-f-]{36})"', page).group(1)
    deliveries = text(seller.client.get(f"/sell/settings/webhooks/{endpoint_id}"))
    assert "Nothing sent yet." in deliveries

    removed = submit(seller.client, f"/sell/settings/webhooks/{endpoint_id}/remove", {})
    assert removed.status_code == 302
    assert "No receiver yet." in text(seller.client.get("/sell/settings/webhooks"))


def test_a_receiver_on_a_private_address_is_refused(seller):
    refused = submit(
        seller.client,
        "/sell/settings/webhooks",
        {"url": "https://127.0.0.1/hooks", "events": ["order.placed"]},
    )
    assert refused.status_code == 422
    assert "public addresses only" in text(refused)
    assert "No receiver yet." in text(refused)
