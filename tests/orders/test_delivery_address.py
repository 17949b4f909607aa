"""The delivery address on the buyer's side: checked at checkout (a bad one refused with a
message naming the field, nothing written), visible to its buyer only, and erased to the
country after the retention period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, update

from services.common.clock import utcnow
from services.orders import db
from services.orders.address_retention import erase_expired_addresses
from services.orders.worker import build
from tests import support
from tests.orders.factories import listing, postal_address, rates

pytestmark = pytest.mark.integration


def test_checkout_with_a_bad_postal_code_is_refused_with_the_message_and_writes_nothing(
    orders,
):
    orders.add_to_cart("ada", orders.listings.add(listing()))

    response = orders.checkout("ada", address=postal_address("FR", postal_code="750"))

    assert response.status_code == 422
    body = response.get_json()
    assert body["fields"] == {
        "address.postal_code": "This postal code does not look like one from France, e.g. 33380."
    }
    assert "postal code" in body["error"]
    assert orders.count(db.Order) == 0
    assert orders.count(db.ShopOrder) == 0
    assert orders.count(db.OutboxMessage) == 0
    assert orders.count(db.CartLine) == 1


def test_a_retry_with_the_same_key_returns_the_order_even_with_a_bad_address(orders):
    order = orders.order_in_cart("ada")

    again = orders.checkout("ada", address=postal_address("FR", postal_code="750"))

    assert again.status_code == 200
    assert again.get_json()["id"] == order["id"]


def test_checkout_with_a_us_address_needs_its_state(orders):
    orders.add_to_cart("ada", orders.listings.add(listing()))

    missing = orders.checkout("ada", address=postal_address("US", country_area=""))
    elsewhere = orders.checkout("ada", address=postal_address("US", country_area="NY"))
    good = orders.checkout("ada", address=postal_address("US", country_area="california"))

    assert missing.status_code == 422
    assert "state" in missing.get_json()["fields"]["address.country_area"]
    assert elsewhere.status_code == 422
    assert "New York" in elsewhere.get_json()["fields"]["address.postal_code"]
    assert good.status_code == 201, good.get_json()
    assert good.get_json()["delivery_address"]["country_area"] == "CA"
    assert good.get_json()["country"] == "US"


def test_the_address_country_prices_the_shipping_and_a_total_shown_for_another_is_refused(
    orders,
):
    # The cart was shown with shipping within GB; the address is in France, where this
    # shop charges more: checkout refuses with the total for France, nothing ordered.
    book = orders.listings.add(listing(shop_id="a", shop_country="GB", shipping=rates()))
    orders.add_to_cart("ada", book)
    shown = orders.client.get("/cart?country=GB", headers=support.auth_header("ada")).get_json()
    for_france = orders.client.get("/cart?country=FR", headers=support.auth_header("ada"))
    assert for_france.get_json()["total"] != shown["total"]

    refused = orders.checkout("ada", country="FR", expected_total=str(shown["total"]["amount"]))

    assert refused.status_code == 409
    assert refused.get_json()["total"] == for_france.get_json()["total"]
    assert orders.count(db.Order) == 0
    placed = orders.checkout(
        "ada", country="FR", expected_total=str(for_france.get_json()["total"]["amount"])
    )
    assert placed.status_code == 201
    assert placed.get_json()["country"] == "FR"


def test_the_order_keeps_the_address_and_only_its_buyer_reads_it(orders):
    order = orders.order_in_cart("ada")

    assert order["delivery_address"]["postal_code"] == "SW1A 2AA"
    assert order["shipping_name"] == "Ada Lovelace"
    assert order["shipping_address"].splitlines() == ["1 Analytical Row", "SW1A 2AA LONDON"]
    for user in ("eve", "bob"):
        if user == "bob":
            orders.order_in_cart("bob")  # the buyer of another order
        response = orders.client.get(f"/orders/{order['id']}", headers=support.auth_header(user))
        assert response.status_code == 404
        assert "SW1A" not in response.get_data(as_text=True)


def _finish(orders, order: dict, status: str, *, days_ago: float) -> None:
    """Move every part of `order` to `status`, that many days ago."""
    at = utcnow() - timedelta(days=days_ago)
    with orders.runtime.session_factory.begin() as session:
        for part in order["parts"]:
            session.execute(
                update(db.ShopOrder)
                .where(db.ShopOrder.id == part["shop_order_id"])
                .values(status=status)
            )
            session.execute(
                update(db.TimelineEntry)
                .where(db.TimelineEntry.shop_order_id == part["shop_order_id"])
                .values(at=at - timedelta(days=1))
            )
            session.execute(
                insert(db.TimelineEntry).values(
                    shop_order_id=part["shop_order_id"], status=status, at=at
                )
            )


def test_retention_erases_old_addresses_to_the_country_and_keeps_recent_ones(orders):
    delivered_long_ago = orders.order_in_cart("ada", key="k1")
    declined_long_ago = orders.order_in_cart("ada", key="k2")
    delivered_lately = orders.order_in_cart("ada", key="k3")
    still_open = orders.order_in_cart("ada", key="k4")
    _finish(orders, delivered_long_ago, "delivered", days_ago=91)
    _finish(orders, declined_long_ago, "declined", days_ago=120)
    _finish(orders, delivered_lately, "delivered", days_ago=89)
    with orders.runtime.session_factory.begin() as session:
        session.execute(
            update(db.TimelineEntry)
            .values(at=utcnow() - timedelta(days=300))
            .where(db.TimelineEntry.shop_order_id == still_open["parts"][0]["shop_order_id"])
        )

    assert erase_expired_addresses(orders.runtime.session_factory, days=90) == 2
    assert erase_expired_addresses(orders.runtime.session_factory, days=90) == 0

    def read(order: dict) -> dict:
        return orders.client.get(
            f"/orders/{order['id']}", headers=support.auth_header("ada")
        ).get_json()

    for order in (delivered_long_ago, declined_long_ago):
        erased = read(order)
        assert erased["address_erased"] is True
        assert erased["delivery_address"]["country_code"] == "GB"
        assert not any(v for k, v in erased["delivery_address"].items() if k != "country_code")
        assert (erased["shipping_name"], erased["shipping_address"]) == ("", "")
        assert "Analytical" not in str(erased)
    for order in (delivered_lately, still_open):
        kept = read(order)
        assert kept["address_erased"] is False
        assert kept["delivery_address"]["street_address"] == "1 Analytical Row"


def test_the_orders_worker_runs_the_retention_job(orders_on_broker):
    orders = orders_on_broker
    order = orders.order_in_cart("ada")
    _finish(orders, order, "cancelled", days_ago=100)

    with support.running(build(orders.runtime)):
        support.wait_for(
            lambda: orders.client.get(
                f"/orders/{order['id']}", headers=support.auth_header("ada")
            ).get_json()["address_erased"]
        )
