"""Registering webhook endpoints: the owner's, public addresses only outside development."""

from __future__ import annotations

import pytest

from tests.shops.conftest import add_staff

pytestmark = pytest.mark.integration


def register(service, seller, shop_id, url, events=("order.placed",)):
    return service.client.post(
        f"/shops/{shop_id}/webhooks",
        json={"url": url, "events": list(events)},
        headers=seller.headers(),
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",
        "https://10.1.2.3/hooks",
        "https://192.168.0.10/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hooks",
    ],
)
def test_private_and_loopback_addresses_are_refused_in_production(shops, seller, url):
    shop = shops.open_shop(seller)
    response = register(shops, seller, shop["id"], url)
    assert response.status_code == 422
    assert "url" in response.get_json()["fields"]


def test_plain_http_is_refused_in_production(shops, seller):
    shop = shops.open_shop(seller)
    response = register(shops, seller, shop["id"], "http://93.184.215.14/hooks")
    assert response.status_code == 422


def test_localhost_is_allowed_in_development(local_shops, seller):
    shop = local_shops.open_shop(seller)
    response = register(local_shops, seller, shop["id"], "http://localhost:9999/hooks")
    assert response.status_code == 201
    assert response.get_json()["secret"].startswith("whsec_")


def test_unknown_events_are_refused(local_shops, seller):
    shop = local_shops.open_shop(seller)
    response = register(
        local_shops, seller, shop["id"], "http://localhost:9999/x", events=["order.eaten"]
    )
    assert response.status_code == 422 and "events" in response.get_json()["fields"]


def test_only_the_owner_registers_endpoints(local_shops, seller):
    shop = local_shops.open_shop(seller)
    staff = add_staff(local_shops, seller, shop["id"])
    response = register(local_shops, staff, shop["id"], "http://localhost:9999/hooks")
    assert response.status_code == 403
