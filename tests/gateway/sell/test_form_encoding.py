"""A form or an address whose text is not UTF-8, or holds a control character, is refused
with 400 and nothing of it reaches a service; the same form in UTF-8 goes through.

Against fake services (tests/gateway/fakes.py).
"""

from __future__ import annotations

import pytest

from tests.gateway.helpers import csrf_token, text
from tests.gateway.sell.fakes_shop_admin import a_shop_profile, inventory

SHOP = "/shops/shop-1"
FIELDS = (
    "&signature=Mara&currency=EUR&country=NL&order_mode=manual&response_hours=48"
    "&domestic_first=3.00&domestic_additional=1.00"
    "&international_first=9.00&international_additional=2.00"
)


@pytest.fixture
def shop(fakes) -> None:  # noqa: ANN001
    fakes.on("GET", SHOP, a_shop_profile())
    fakes.on("PATCH", SHOP, a_shop_profile())


def post_settings(client, body: str):  # noqa: ANN001, ANN201
    return client.post(
        "/sell/settings", data=body, content_type="application/x-www-form-urlencoded"
    )


def test_a_form_that_is_not_utf8_is_refused_and_sends_nothing(portal, fakes, shop):
    token = csrf_token(portal, "/sell/settings")

    response = post_settings(portal, f"csrf_token={token}&name=%FF%FE&about=caf%E9{FIELDS}")
    refused_writes = fakes.writes()
    # The same form in UTF-8 is sent on: only the encoding was wrong.
    saved = post_settings(
        portal, f"csrf_token={token}&name=Mara%27s%20B%C3%BCcher&about=caf%C3%A9{FIELDS}"
    )

    assert response.status_code == 400
    assert "not valid UTF-8" in text(response)
    assert refused_writes == []
    assert saved.status_code == 302, text(saved)
    [sent] = fakes.sent("PATCH", SHOP)
    assert (sent["name"], sent["about"]) == ("Mara's Bücher", "café")


def test_an_address_that_is_not_utf8_is_refused(app, fakes):
    response = app.test_client().get("/search?q=%FF%FE")

    assert response.status_code == 400
    assert "not valid UTF-8" in text(response)
    assert fakes.calls == []


def test_utf8_addresses_still_work(portal, fakes):
    fakes.on("GET", f"{SHOP}/listings", inventory())
    response = portal.get("/sell/listings?q=caf%C3%A9&sort=title")

    assert response.status_code == 200
    [asked] = fakes.asked("GET", f"{SHOP}/listings")
    assert asked.options["params"]["q"] == "café"


def test_a_control_character_in_a_form_is_refused(portal, fakes, shop):
    token = csrf_token(portal, "/sell/settings")

    nul = post_settings(portal, f"csrf_token={token}&name=Mara%00{FIELDS}")
    escape = post_settings(portal, f"csrf_token={token}&name=Mara&about=M%1B[2J{FIELDS}")

    assert nul.status_code == escape.status_code == 400
    assert "holds a control character" in text(nul) and "holds a control character" in text(escape)
    assert fakes.writes() == []
