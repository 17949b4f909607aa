"""Shop settings: every field saved through the shops service, bad input refused whole."""

from __future__ import annotations

from tests.gateway.helpers import text
from tests.gateway.sell.helpers import submit


def settings_form(**fields: str) -> dict:
    values = {
        "name": "Mara's Fine Books",
        "signature": "Mara, at the shop",
        "about": "Second-hand books by the canal.",
        "country": "NL",
        "currency": "EUR",
        "returns_policy": "Returns within 14 days.",
        "shipping_policy": "Posted within two working days.",
        "domestic_first": "4.50",
        "domestic_additional": "1,25",
        "international_first": "12",
        "international_additional": "0",
        "order_mode": "manual",
        "response_hours": "24",
    }
    values.update(fields)
    return {key: value for key, value in values.items() if value is not None}


def test_settings_page_is_prefilled_from_the_shop(seller):
    page = text(seller.client.get("/sell/settings"))

    assert 'value="Mara&#39;s Books"' in page
    assert '<option selected value="NL">' in page
    assert 'id="domestic_first"' in page and 'value="0.00"' in page
    assert 'value="48"' in page  # the default answer window


def test_settings_save_every_field(seller):
    response = submit(seller.client, "/sell/settings", settings_form(on_vacation="y"))

    assert response.status_code == 302
    stored = seller.stored_shop()
    assert stored["name"] == "Mara's Fine Books" and stored["signature"] == "Mara, at the shop"
    assert stored["about"] == "Second-hand books by the canal."
    assert stored["policies"] == {
        "returns": "Returns within 14 days.",
        "shipping_times": "Posted within two working days.",
    }
    two_zones = {k: v for k, v in stored["shipping"].items() if k != "profile"}
    assert {rate: price and price["amount"] for rate, price in two_zones.items()} == {
        "domestic_first": 450,
        "domestic_additional": 125,
        "international_first": 1200,
        "international_additional": 0,
        "free_over": None,
    }
    assert stored["order_handling"] == {"mode": "manual", "response_hours": 24}
    assert stored["on_vacation"] is True
    # The portal shows the new name at once.
    assert "Mara&#39;s Fine Books" in text(seller.client.get("/sell/", follow_redirects=True))


def test_settings_save_the_town_collection_and_an_express_service(seller):
    form = settings_form(
        town="Utrecht", postal_code="3511 AB", pickup="y", express_first="9.90", express_days="1"
    )

    response = submit(seller.client, "/sell/settings", form)
    again = submit(seller.client, "/sell/settings", settings_form(town="Utrecht"))

    assert response.status_code == 302 and again.status_code == 302
    stored = seller.stored_shop()
    assert stored["location"]["town"] == "Utrecht"
    assert stored["location"]["latitude"] is not None
    profile = stored["shipping"]["profile"]
    # Saved again without them: no express, no collection; the two zones as typed.
    assert profile["pickup"] is False
    [home] = [region for region in profile["regions"] if region["group"] == "home"]
    assert [service["code"] for service in home["services"]] == ["standard"]
    assert home["services"][0]["first"] == 450


def test_settings_show_the_express_service_and_collection_saved(seller):
    submit(
        seller.client,
        "/sell/settings",
        settings_form(town="Utrecht", pickup="y", express_first="9.90", express_days="2"),
    )

    page = text(seller.client.get("/sell/settings"))
    stored = seller.stored_shop()

    [home] = [r for r in stored["shipping"]["profile"]["regions"] if r["group"] == "home"]
    assert {s["code"]: s["first"] for s in home["services"]} == {"standard": 450, "express": 990}
    assert stored["shipping"]["profile"]["pickup"] is True
    assert 'id="express_first"' in page and 'value="9.90"' in page
    assert 'id="pickup"' in page and "checked" in page


def test_settings_auto_accept_and_back_from_vacation(seller):
    submit(seller.client, "/sell/settings", settings_form(on_vacation="y"))

    submit(seller.client, "/sell/settings", settings_form(order_mode="auto_accept"))

    stored = seller.stored_shop()
    assert stored["order_handling"]["mode"] == "auto_accept"
    assert stored["on_vacation"] is False  # an unticked box is "no"


def test_settings_with_empty_shop_name_shows_message_and_writes_nothing(seller):
    before = seller.stored_shop()

    response = submit(seller.client, "/sell/settings", settings_form(name="  "))

    assert response.status_code == 400
    assert "Give your shop a name." in text(response)
    assert seller.stored_shop() == before


def test_settings_with_bad_shipping_rate_shows_message_and_writes_nothing(seller):
    before = seller.stored_shop()

    negative = submit(seller.client, "/sell/settings", settings_form(domestic_first="-2"))
    words = submit(seller.client, "/sell/settings", settings_form(international_first="cheap"))
    decimals = submit(seller.client, "/sell/settings", settings_form(domestic_additional="1.255"))
    hours = submit(seller.client, "/sell/settings", settings_form(response_hours="0"))

    assert negative.status_code == 400
    assert "A shipping rate cannot be negative" in text(negative)
    assert 'id="domestic_first-error"' in text(negative)
    assert "Enter the price as a number" in text(words)
    assert "Use at most two decimals" in text(decimals)
    assert "Enter between 1 and 336 hours" in text(hours)
    assert seller.stored_shop() == before


def test_settings_refused_by_the_service_show_its_reason(seller):
    # 1000.01 passes the form but is over the service's cap for a shipping rate.
    before = seller.stored_shop()

    response = submit(seller.client, "/sell/settings", settings_form(domestic_first="1000.01"))

    assert response.status_code == 400
    assert 'id="domestic_first-error"' in text(response)
    assert "a shipping rate must be between 0 and 100000" in text(response)
    assert seller.stored_shop() == before


def test_settings_free_shipping_from_an_amount_and_back_to_none(seller):
    submit(seller.client, "/sell/settings", settings_form(free_over="50"))
    offered = seller.stored_shop()["shipping"]["free_over"]
    page = text(seller.client.get("/sell/settings"))

    submit(seller.client, "/sell/settings", settings_form(free_over=""))

    assert offered == {"amount": 5000, "currency": "EUR"}
    assert 'id="free_over"' in page and 'value="50.00"' in page
    assert seller.stored_shop()["shipping"]["free_over"] is None
