"""A person who runs more than one shop: open another, switch between them; a shop that is not
theirs cannot be chosen.

Against fake services (tests/gateway/fakes.py): the shops service's list of the person's shops
is canned, and grows when the fake opens a shop, as the service's does.
"""

from __future__ import annotations

import pytest

from tests.gateway.fakes import a_shop
from tests.gateway.helpers import post_form, text
from tests.gateway.sell.fakes_shop_admin import a_shop_profile, an_own_listing, inventory

BOOKS = a_shop("shop-1")
RECORDS = a_shop("shop-2", name="Mara's Records", slug="maras-records", signature="Mara")


@pytest.fixture
def mine(portal, fakes) -> list[dict]:  # noqa: ANN001
    """Mara's shops as the shops service lists them; opening one adds it."""
    shops = [BOOKS]
    fakes.on("GET", "/shops/mine", lambda _options: {"shops": list(shops)})

    def open_shop(options: dict) -> dict:
        opened = a_shop_profile("shop-2", name=options["json"]["name"])
        shops.append(RECORDS | {"name": options["json"]["name"]})
        return opened

    fakes.on("POST", "/shops", open_shop)
    return shops


def open_second_shop(client, name: str = "Mara's Records"):  # noqa: ANN001, ANN201
    return post_form(
        client,
        "/sell/shops/new",
        {"name": name, "signature": f"Mara, {name}", "country": "NL"},
        page="/sell/shops/new",
    )


def choose(client, shop_id: str):  # noqa: ANN001, ANN201
    return post_form(client, "/sell/shop", {"shop_id": shop_id}, page="/sell/")


def test_a_second_shop_opens_and_becomes_the_one_shown(portal, fakes, mine):
    response = open_second_shop(portal)

    assert response.status_code == 302
    assert fakes.sent("POST", "/shops") == [
        {"name": "Mara's Records", "signature": "Mara, Mara's Records", "country": "NL"}
    ]
    dashboard = text(portal.get("/sell/"))
    assert "<h1>Mara&#39;s Records</h1>" in dashboard
    assert "Your shop is open." in dashboard
    assert 'id="shop-switch"' in dashboard


def test_switching_shows_the_chosen_shop_everywhere_in_the_portal(portal, fakes, mine):
    mine.append(RECORDS)
    fakes.on("GET", "/shops/shop-1/listings", inventory(an_own_listing("Only in the bookshop")))
    fakes.on("GET", "/shops/shop-2/listings", inventory())
    choose(portal, "shop-2")
    assert "<h1>Mara&#39;s Records</h1>" in text(portal.get("/sell/"))

    response = choose(portal, "shop-1")

    assert response.status_code == 302
    dashboard = text(portal.get("/sell/"))
    assert "<h1>Mara&#39;s Books</h1>" in dashboard and "You are working on Mara" in dashboard
    fakes.forget_calls()
    assert "Only in the bookshop" in text(portal.get("/sell/listings"))
    assert "GET /shops/shop-2/listings" not in fakes.paths()


def test_a_shop_that_is_not_yours_cannot_be_chosen(portal, fakes, mine):
    choose(portal, "shop-9")

    page = text(portal.get("/sell/"))
    assert "Choose one of your shops." in page
    assert "<h1>Mara&#39;s Books</h1>" in page
    assert not [path for path in fakes.paths() if "shop-9" in path]


def test_a_second_shop_with_a_blank_name_is_refused_with_a_reason(portal, fakes, mine):
    response = open_second_shop(portal, name="")

    assert response.status_code == 400
    assert 'id="name-error"' in text(response)
    assert fakes.writes() == []
    assert "<h1>Mara&#39;s Books</h1>" in text(portal.get("/sell/"))
