"""Shop settings: the page shows the shop as the shops service has it, every field is sent to
the service as one change, and bad input is refused whole with nothing sent.

Against fake services (tests/gateway/fakes.py). How the service keeps and checks settings is
tested in tests/shops/; settings saved through this page and stored by the live service are
in test_shop_admin_live.py.
"""

from __future__ import annotations

import pytest

from tests.gateway.fakes import a_shop, money
from tests.gateway.helpers import text
from tests.gateway.sell.fakes_shop_admin import (
    a_region,
    a_shipping_profile,
    a_shipping_service,
    a_shop_profile,
    rate_refused,
)
from tests.gateway.sell.helpers import submit

SHOP = "/shops/shop-1"


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


@pytest.fixture
def shop(fakes) -> dict:  # noqa: ANN001
    """Mara's shop as the settings page reads it, and as a change leaves it."""
    stored = a_shop_profile()
    fakes.on("GET", SHOP, stored)
    fakes.on("PATCH", SHOP, stored)
    return stored


def sent_settings(fakes) -> list[dict]:  # noqa: ANN001
    return fakes.sent("PATCH", SHOP)


def test_settings_page_is_prefilled_from_the_shop(portal, shop):
    page = text(portal.get("/sell/settings"))

    assert 'value="Mara&#39;s Books"' in page
    assert '<option selected value="NL">' in page
    assert 'id="domestic_first"' in page and 'value="4.50"' in page
    assert 'id="international_first"' in page and 'value="12.00"' in page
    assert 'value="48"' in page  # the shop's answer window
    assert 'id="free_over" inputmode="decimal" name="free_over" type="text" value=""' in page


def test_settings_send_every_field_in_one_change(portal, fakes, shop):
    response = submit(portal, "/sell/settings", settings_form(on_vacation="y"))

    assert response.status_code == 302
    [sent] = sent_settings(fakes)
    assert sent["name"] == "Mara's Fine Books" and sent["signature"] == "Mara, at the shop"
    assert sent["about"] == "Second-hand books by the canal."
    assert (sent["country"], sent["currency"]) == ("NL", "EUR")
    assert sent["policies"] == {
        "returns": "Returns within 14 days.",
        "shipping_times": "Posted within two working days.",
    }
    assert sent["shipping"] == {
        "domestic_first": money(450),
        "domestic_additional": money(125),
        "international_first": money(1200),
        "international_additional": money(0),
        "free_over": None,
    }
    # The two zones changed (1,25 for each more item at home): the profile carries them.
    home, world = sent["shipping_profile"]["regions"]
    assert (home["services"][0]["first"], home["services"][0]["additional"]) == (450, 125)
    assert (world["services"][0]["first"], world["services"][0]["additional"]) == (1200, 0)
    assert sent["order_handling"] == {"mode": "manual", "response_hours": 24}
    assert sent["on_vacation"] is True
    assert sent["location"] == {"town": None, "postal_code": None}
    # The portal shows the name the shops service now has, not one kept from before.
    fakes.on("GET", "/shops/mine", {"shops": [a_shop(name="Mara's Fine Books")]})
    assert "Mara&#39;s Fine Books" in text(portal.get("/sell/", follow_redirects=True))


def test_settings_send_the_town_collection_and_an_express_service(portal, fakes, shop):
    form = settings_form(
        town="Utrecht", postal_code="3511 AB", pickup="y", express_first="9.90", express_days="1"
    )

    response = submit(portal, "/sell/settings", form)
    # Saved again without them, from the shop as the first change left it.
    [first] = sent_settings(fakes)
    fakes.on("GET", SHOP, a_shop_profile(shipping_profile=first["shipping_profile"]))
    again = submit(portal, "/sell/settings", settings_form(town="Utrecht"))

    assert response.status_code == 302 and again.status_code == 302
    assert first["location"] == {"town": "Utrecht", "postal_code": "3511 AB"}
    profile = first["shipping_profile"]
    assert profile["pickup"] is True
    [home] = [region for region in profile["regions"] if region["group"] == "home"]
    assert home["services"] == [
        a_shipping_service("standard", 450, 125, name="Standard"),
        a_shipping_service("express", 990, days=(1, 1), name="Express"),
    ]
    # No express, no collection; the two zones as typed.
    [_, second] = sent_settings(fakes)
    assert second["shipping_profile"]["pickup"] is False
    [home] = [r for r in second["shipping_profile"]["regions"] if r["group"] == "home"]
    assert [(s["code"], s["first"]) for s in home["services"]] == [("standard", 450)]
    assert second["location"] == {"town": "Utrecht", "postal_code": None}


def test_settings_show_the_express_service_and_collection_kept(portal, fakes):
    express = a_shipping_service("express", 990, days=(2, 2))
    home = a_region("home", a_shipping_service("standard", 450), express)
    world = a_region("world", a_shipping_service("standard", 1200))
    stored = a_shop_profile(
        shipping_profile=a_shipping_profile(home, world, pickup=True),
        location={
            "town": "Utrecht",
            "postal_code": "3511 AB",
            "latitude": 52.09,
            "longitude": 5.12,
        },
    )
    fakes.on("GET", SHOP, stored)

    page = text(portal.get("/sell/settings"))

    assert 'id="express_first"' in page and 'value="9.90"' in page
    assert 'id="express_days"' in page and 'value="2"' in page
    assert 'value="Utrecht"' in page and 'value="3511 AB"' in page
    assert 'checked id="pickup"' in page


def test_settings_auto_accept_and_back_from_vacation(portal, fakes, shop):
    submit(portal, "/sell/settings", settings_form(on_vacation="y"))

    submit(portal, "/sell/settings", settings_form(order_mode="auto_accept"))

    first, second = sent_settings(fakes)
    assert (first["order_handling"]["mode"], first["on_vacation"]) == ("manual", True)
    assert second["order_handling"]["mode"] == "auto_accept"
    assert second["on_vacation"] is False  # an unticked box is "no"


def test_settings_with_empty_shop_name_shows_message_and_sends_nothing(portal, fakes, shop):
    response = submit(portal, "/sell/settings", settings_form(name="  "))

    assert response.status_code == 400
    assert "Give your shop a name." in text(response)
    assert fakes.writes() == []


def test_settings_with_bad_shipping_rate_shows_message_and_sends_nothing(portal, fakes, shop):
    negative = submit(portal, "/sell/settings", settings_form(domestic_first="-2"))
    words = submit(portal, "/sell/settings", settings_form(international_first="cheap"))
    decimals = submit(portal, "/sell/settings", settings_form(domestic_additional="1.255"))
    hours = submit(portal, "/sell/settings", settings_form(response_hours="0"))

    assert negative.status_code == words.status_code == decimals.status_code == 400
    assert hours.status_code == 400
    assert "A shipping rate cannot be negative" in text(negative)
    assert 'id="domestic_first-error"' in text(negative)
    assert "Enter the price as a number" in text(words)
    assert "Use at most two decimals" in text(decimals)
    assert "Enter between 1 and 336 hours" in text(hours)
    assert fakes.writes() == []


def test_settings_refused_by_the_service_show_its_reason_beside_the_field(portal, fakes, shop):
    # 1000.01 passes the form but is over the service's cap for a shipping rate.
    fakes.on("PATCH", SHOP, rate_refused("domestic_first"))

    response = submit(portal, "/sell/settings", settings_form(domestic_first="1000.01"))

    assert response.status_code == 400
    page = text(response)
    assert 'id="domestic_first-error"' in page
    assert "a shipping rate must be between 0 and 100000" in page
    assert 'value="1000.01"' in page  # what was typed stays
    assert [body["shipping"]["domestic_first"] for body in sent_settings(fakes)] == [money(100001)]


def test_settings_free_shipping_from_an_amount_and_back_to_none(portal, fakes, shop):
    submit(portal, "/sell/settings", settings_form(free_over="50"))
    [offered] = sent_settings(fakes)
    fakes.on("GET", SHOP, a_shop_profile(shipping_profile=offered["shipping_profile"]))
    page = text(portal.get("/sell/settings"))

    submit(portal, "/sell/settings", settings_form(free_over=""))

    [_, taken_away] = sent_settings(fakes)
    assert offered["shipping"]["free_over"] == {"amount": 5000, "currency": "EUR"}
    assert 'id="free_over"' in page and 'value="50.00"' in page
    assert taken_away["shipping"]["free_over"] is None
    home = taken_away["shipping_profile"]["regions"][0]
    assert home["group"] == "home" and home["free_over"] is None
