"""The owner registers a webhook receiver in the portal, sees it, and removes it.

Against fake services (tests/gateway/fakes.py, fakes_orders.py). Which addresses the shops
service takes, and the deliveries themselves, are tested in tests/shops/webhooks/.
"""

from __future__ import annotations

from gateway.clients import ServiceError
from tests.gateway.fakes import a_shop
from tests.gateway.helpers import text
from tests.gateway.sell.fakes_orders import a_webhook_endpoint
from tests.gateway.sell.helpers import submit

WEBHOOKS = "/shops/shop-1/webhooks"
PAGE = "/sell/settings/webhooks"


def test_the_settings_page_links_to_the_webhooks(portal, fakes):
    fakes.on("GET", "/shops/shop-1", a_shop())

    assert f'href="{PAGE}"' in text(portal.get("/sell/settings"))


def test_registering_a_receiver_sends_its_address_and_events(portal, fakes):
    fakes.on("GET", WEBHOOKS, {"endpoints": []})
    fakes.on("POST", WEBHOOKS, a_webhook_endpoint())

    added = submit(
        portal,
        PAGE,
        {"url": " https://93.184.215.14/hooks ", "events": ["order.placed", "message.received"]},
    )

    assert added.status_code == 302 and added.headers["Location"] == PAGE
    assert fakes.sent("POST", WEBHOOKS) == [
        {"url": "https://93.184.215.14/hooks", "events": ["order.placed", "message.received"]}
    ]
    assert "The receiver is registered" in text(portal.get(PAGE))


def test_a_receiver_shows_with_its_events_secret_and_deliveries(portal, fakes):
    fakes.on("GET", WEBHOOKS, {"endpoints": [a_webhook_endpoint()]})
    fakes.on("GET", f"{WEBHOOKS}/endpoint-1/deliveries", {"deliveries": []})

    page = text(portal.get(PAGE))
    deliveries = text(portal.get(f"{PAGE}/endpoint-1"))

    assert "https://93.184.215.14/hooks" in page and "order.placed, message.received" in page
    assert "<code>whsec_c2VjcmV0LWZvci10ZXN0cw</code>" in page
    assert 'data-endpoint-id="endpoint-1"' in page
    assert "Nothing sent yet." in deliveries


def test_removing_a_receiver_asks_the_shops_service_to_delete_it(portal, fakes):
    fakes.on("GET", WEBHOOKS, {"endpoints": [a_webhook_endpoint()]})
    fakes.on("DELETE", f"{WEBHOOKS}/endpoint-1", {})  # 204: no body

    removed = submit(portal, f"{PAGE}/endpoint-1/remove", {})

    assert removed.status_code == 302
    assert fakes.writes() == [f"DELETE {WEBHOOKS}/endpoint-1"]
    fakes.on("GET", WEBHOOKS, {"endpoints": []})
    page = text(portal.get(PAGE))
    assert "Removed." in page and "No receiver yet." in page


def test_a_receiver_on_a_private_address_is_refused_beside_the_address(portal, fakes):
    fakes.on("GET", WEBHOOKS, {"endpoints": []})
    reason = "127.0.0.1 is a private address: webhooks go to public addresses only"
    fakes.on("POST", WEBHOOKS, ServiceError(422, reason, {"url": reason}))

    refused = submit(portal, PAGE, {"url": "https://127.0.0.1/hooks", "events": ["order.placed"]})

    assert refused.status_code == 422
    page = text(refused)
    assert 'id="url-error"' in page and "public addresses only" in page
    assert "No receiver yet." in page


def test_a_receiver_without_an_address_or_events_is_refused_before_sending(portal, fakes):
    fakes.on("GET", WEBHOOKS, {"endpoints": []})

    refused = submit(portal, PAGE, {"url": ""})

    assert refused.status_code == 400
    assert "Give the https:// address" in text(refused) and "Tick at least one" in text(refused)
    assert fakes.writes() == []


def test_staff_read_that_only_the_owner_manages_webhooks(portal, fakes):
    fakes.on("GET", WEBHOOKS, ServiceError(403, "only the shop's owner may"))

    page = text(portal.get(PAGE))

    assert "Only the shop's owner can manage webhooks." in page
    assert 'id="add-webhook"' not in page


def test_an_unknown_receivers_deliveries_are_not_found(portal, fakes):
    fakes.on("GET", WEBHOOKS, {"endpoints": [a_webhook_endpoint()]})

    assert portal.get(f"{PAGE}/endpoint-9").status_code == 404
    assert not fakes.asked("GET", f"{WEBHOOKS}/endpoint-9/deliveries")
