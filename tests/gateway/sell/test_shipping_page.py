"""The shipping page of the seller portal: the whole profile edited in plain forms and sent
to the shops service, bad input refused field by field with nothing sent.

Against fake services (tests/gateway/fakes.py). The profile a form sends is priced here by
the rule the services share (services/common/shipping.py), as the shops service and checkout
would price it. How the service checks and keeps a profile is tested in tests/shops/; the page
saved through the live service is in test_shop_admin_live.py.
"""

from __future__ import annotations

import html
import re

import pytest

from services.common import shipping
from tests.gateway.fakes import a_shop
from tests.gateway.helpers import post_form, sign_up, text
from tests.gateway.sell.fakes_shop_admin import (
    a_region,
    a_shipping_profile,
    a_shipping_service,
    a_shop_profile,
    owner_only,
    profile_rate_refused,
)
from tests.gateway.sell.helpers import submit

SHOP = "/shops/shop-1"


def service(r: int, s: int, code: str, first: str, additional: str = "", days=("", "")) -> dict:
    at = f"regions-{r}-services-{s}-"
    return {
        f"{at}code": code,
        f"{at}name": "",
        f"{at}first": first,
        f"{at}additional": additional,
        f"{at}days_min": days[0],
        f"{at}days_max": days[1],
    }


def region(r: int, where: str, *, countries=(), free_over: str = "", name: str = "") -> dict:
    at = f"regions-{r}-"
    return {
        f"{at}where": where,
        f"{at}name": name,
        f"{at}countries": list(countries),
        f"{at}free_over": free_over,
    }


def two_regions(**changes: object) -> dict:
    """Home with standard and express; the EU with economy and express, free over 40."""
    form = {
        **region(0, "home"),
        **service(0, 0, "standard", "4.50", "1", ("2", "3")),
        **service(0, 1, "express", "9.90", "", ("1", "1")),
        **region(1, "eu", free_over="40"),
        **service(1, 0, "economy", "2.90", "0.50", ("3", "5")),
        **service(1, 1, "express", "12", "2,00", ("1", "2")),
        "excluded": ["HU"],
        "pickup": "y",
        "action": "save",
    }
    form.update(changes)
    return form


def two_regions_kept() -> dict:
    """The profile of two_regions() as the shops service keeps it."""
    return a_shipping_profile(
        a_region(
            "home",
            a_shipping_service("standard", 450, 100, days=(2, 3)),
            a_shipping_service("express", 990, days=(1, 1)),
        ),
        a_region(
            "eu",
            a_shipping_service("economy", 290, 50, days=(3, 5)),
            a_shipping_service("express", 1200, 200, days=(1, 2)),
            free_over=4000,
        ),
        excluded=("HU",),
        pickup=True,
    )


@pytest.fixture
def shop(fakes) -> dict:  # noqa: ANN001
    """Mara's shop as the pages read it (its first profile: home and the rest of the world),
    and the answer to a change."""
    stored = a_shop_profile()
    fakes.on("GET", SHOP, stored)
    fakes.on("PATCH", SHOP, stored)
    return stored


def sent_profiles(fakes) -> list[dict]:  # noqa: ANN001
    return [body["shipping_profile"] for body in fakes.sent("PATCH", SHOP)]


def test_a_seller_sends_regions_services_free_over_and_an_excluded_country(portal, fakes, shop):
    response = submit(portal, "/sell/shipping", two_regions())

    assert response.status_code == 302
    [sent] = fakes.sent("PATCH", SHOP)
    assert list(sent) == ["shipping_profile"]  # the rest of the shop is left alone
    assert sent["shipping_profile"] == two_regions_kept()
    profile = shipping.profile_from_dict(sent["shipping_profile"])

    def price(country: str, items: int, subtotal: int, by: str | None = None) -> int:
        found = shipping.quote(
            profile, shop_country="NL", destination=country, items=items, subtotal=subtotal,
            service=by,
        )  # fmt: skip
        return found.amount

    assert price("NL", 2, 3000) == 550  # standard: 4.50 and 1.00
    assert price("NL", 1, 3000, by="express") == 990
    assert price("DE", 2, 3000) == 340  # economy: 2.90 and 0.50
    assert price("DE", 2, 3000, by="express") == 1400
    assert price("DE", 2, 4000) == 0  # free over 40 by the cheapest service
    assert price("DE", 2, 4000, by="express") == 1400
    with pytest.raises(shipping.NotShipped):
        price("HU", 1, 1000)  # in the EU, but excluded
    with pytest.raises(shipping.NotShipped):
        price("US", 1, 1000)  # no region covers it


def test_the_page_shows_the_kept_profile_in_words_and_in_its_fields(portal, fakes):
    fakes.on("GET", SHOP, a_shop_profile(shipping_profile=two_regions_kept()))

    page = text(portal.get("/sell/shipping"))

    assert (
        "European Union: Economy €2.90, each more €0.50, 3–5 days; "
        "Express €12.00, each more €2.00, 1–2 days; free over €40.00"
    ) in page
    assert "Not shipped to: Hungary" in page
    assert "Buyers may also collect in person at the shop" in page
    assert 'name="regions-1-services-1-code" type="text" value="express"' in page
    assert 'name="regions-1-free_over" type="text" value="40.00"' in page


def test_named_countries_win_over_their_group(portal, fakes, shop):
    form = {
        **region(0, "eu"),
        **service(0, 0, "standard", "8"),
        **region(1, "countries", countries=["FR", "BE"], name="France and Belgium"),
        **service(1, 0, "economy", "2.90", "0.50", ("3", "5")),
        "action": "save",
    }

    response = submit(portal, "/sell/shipping", form)

    assert response.status_code == 302
    [sent] = sent_profiles(fakes)
    assert sent["regions"][1]["countries"] == ["BE", "FR"]
    assert (sent["regions"][1]["group"], sent["regions"][1]["name"]) == (None, "France and Belgium")
    profile = shipping.profile_from_dict(sent)
    fr = shipping.quote(profile, shop_country="NL", destination="FR", items=1, subtotal=100)
    de = shipping.quote(profile, shop_country="NL", destination="DE", items=1, subtotal=100)
    assert (fr.amount, de.amount) == (290, 800)
    fakes.on("GET", SHOP, a_shop_profile(shipping_profile=sent))
    assert "France and Belgium: Economy €2.90, each more €0.50, 3–5 days" in text(
        portal.get("/sell/shipping")
    )


def test_buttons_add_and_remove_rows_without_saving(portal, fakes, shop):
    base = {**region(0, "home"), **service(0, 0, "standard", "4.50")}

    more = submit(portal, "/sell/shipping", {**base, "action": "add_service-0"})
    region_added = submit(
        portal, "/sell/shipping", {**base, "action": "add_region", "new_region": "world"}
    )
    removed = submit(portal, "/sell/shipping", {**base, "action": "remove_service-0-0"})
    unknown = submit(portal, "/sell/shipping", {**base, "action": "remove_service-7-0"})

    assert more.status_code == 200
    assert 'id="regions-0-services-1-code"' in text(more)
    assert 'value="4.50"' in text(more)  # what was typed stays
    assert 'id="regions-1-where"' in text(region_added)
    assert '<option value="world" selected>' in text(region_added)
    assert 'id="regions-0-services-0-code"' not in text(removed)
    assert unknown.status_code == 400
    assert fakes.writes() == []


def test_bad_input_gets_messages_next_to_fields_and_sends_nothing(portal, fakes, shop):
    bad = two_regions(
        **service(0, 1, "express", "cheap", "-1", ("5", "3")),
        **{"regions-1-free_over": "0", "regions-1-services-1-code": "economy"},
        **region(2, "countries"),
        **service(2, 0, "", ""),
    )

    response = submit(portal, "/sell/shipping", bad)

    page = text(response)
    assert response.status_code == 400
    for key, message in {
        "regions-0-services-1-first": "Enter the price as a number, such as 12.50.",
        "regions-0-services-1-additional": "A shipping rate cannot be negative",
        "regions-0-services-1-days_max": "The most days cannot be fewer than the fewest.",
        "regions-1-free_over": "The price must be more than zero.",
        "regions-1-services-1-code": "This region already has a service with this code.",
        "regions-2-countries": "Choose the countries this region covers.",
        "regions-2-services-0-code": "Give the service a short code",
        "regions-2-services-0-first": "Enter the price, such as 4.50; 0 for free.",
    }.items():
        assert f'<p class="error" id="{key}-error" role="alert">{message}' in page, key
    assert 'value="cheap"' in page  # the typed value is shown back
    assert fakes.writes() == []


def test_a_region_group_twice_and_no_region_are_refused(portal, fakes, shop):
    twice = {
        **region(0, "eu"),
        **service(0, 0, "standard", "5"),
        **region(1, "eu"),
        **service(1, 0, "standard", "6"),
        "action": "save",
    }

    refused = submit(portal, "/sell/shipping", twice)
    empty = submit(portal, "/sell/shipping", {"action": "save"})

    assert refused.status_code == 400
    assert 'id="regions-1-where-error"' in text(refused)
    assert "Region 1 already covers European Union" in text(refused)
    assert empty.status_code == 400
    assert "Add at least one region you ship to." in text(empty)
    assert fakes.writes() == []


def test_the_shops_service_refusal_is_shown_next_to_its_row(portal, fakes, shop):
    # 1000.01 passes the page but is over the service's cap for a shipping rate.
    fakes.on("PATCH", SHOP, profile_rate_refused(1, 0))

    response = submit(
        portal, "/sell/shipping", two_regions(**{"regions-1-services-0-first": "1000.01"})
    )

    assert response.status_code == 422
    assert 'id="regions-1-services-0-error"' in text(response)
    assert "A shipping rate above 1,000 is likely a typo." in text(response)
    assert 'value="1000.01"' in text(response)
    [sent] = sent_profiles(fakes)
    assert sent["regions"][1]["services"][0]["first"] == 100001


def test_the_page_is_linked_from_the_portal_and_the_settings(portal, shop):
    settings = text(portal.get("/sell/settings"))

    assert 'href="/sell/shipping"' in settings and 'id="shipping-link"' in settings
    assert '<a href="/sell/shipping" aria-current="page">Shipping</a>' in text(
        portal.get("/sell/shipping")
    )


def test_another_shops_member_can_neither_see_nor_change_it(app, fakes):
    jos_maps = a_shop("shop-2", name="Jo's Maps", slug="jos-maps", signature="Jo")
    jo = app.test_client()
    sign_up(jo, email="jo@example.org", display_name="Jo")
    # The shops service lists Jo's shop only among hers.
    fakes.on("GET", "/shops/mine", {"shops": [jos_maps]})
    fakes.on("GET", "/conversations/unread", {"shopper": 0, "shops": {}})
    fakes.on("GET", "/shops/shop-2", a_shop_profile("shop-2", name="Jo's Maps"))
    fakes.on("PATCH", "/shops/shop-2", a_shop_profile("shop-2", name="Jo's Maps"))

    # Choosing Mara's shop is refused; Jo's page shows and changes Jo's shop only.
    chosen = post_form(jo, "/sell/shop", {"shop_id": "shop-1"}, page="/sell/")
    page = text(jo.get("/sell/shipping"))
    saved = submit(
        jo, "/sell/shipping", {**region(0, "world"), **service(0, 0, "post", "7"), "action": "save"}
    )

    assert chosen.status_code == 302
    assert "Choose one of your shops." in page
    assert "Jo&#39;s Maps" in page and "Mara&#39;s Books" not in page
    assert saved.status_code == 302
    assert fakes.writes() == ["PATCH /shops/shop-2"]
    assert "GET /shops/shop-1" not in fakes.paths()
    [jo_regions] = [
        body["shipping_profile"]["regions"] for body in fakes.sent("PATCH", "/shops/shop-2")
    ]
    assert [service["code"] for service in jo_regions[0]["services"]] == ["post"]


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(app, fakes):
    response = app.test_client().get("/sell/shipping")

    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert fakes.calls == []


def test_staff_see_the_shipping_but_only_the_owner_changes_it(app, portal, fakes):
    fakes.on("GET", SHOP, a_shop_profile(shipping_profile=two_regions_kept()))
    fakes.on("PATCH", SHOP, owner_only())
    sam = app.test_client()
    sign_up(sam, email="sam@example.org", display_name="Sam Staff")

    page = sam.get("/sell/shipping")
    refused = submit(sam, "/sell/shipping", two_regions(**{"regions-1-free_over": "10"}))

    assert page.status_code == 200 and "free over €40.00" in text(page)
    assert refused.status_code == 403
    assert "Only the shop&#39;s owner can change its settings" in text(refused)
    assert 'value="10"' in text(refused)  # what Sam typed stays on the page


def shown_value(page: str, name: str) -> str:
    """What the settings page shows in a text field, as the browser would send it back."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert tag, name
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def test_saving_the_settings_page_as_shown_leaves_a_profile_of_other_regions_alone(portal, fakes):
    eu_only = a_shipping_profile(
        a_region("eu", a_shipping_service("economy", 290, 50, days=(3, 5)))
    )
    stored = a_shop_profile(shipping_profile=eu_only)
    fakes.on("GET", SHOP, stored)
    fakes.on("PATCH", SHOP, stored)

    page = text(portal.get("/sell/settings"))
    fields = (
        "domestic_first",
        "domestic_additional",
        "international_first",
        "international_additional",
        "free_over",
        "express_first",
    )
    form = {name: shown_value(page, name) for name in fields}
    form |= {
        "name": "Mara's Renamed Books",
        "signature": "Mara",
        "country": "NL",
        "currency": "EUR",
        "order_mode": "manual",
        "response_hours": "48",
        "express_days": "1",
    }
    assert submit(portal, "/sell/settings", form).status_code == 302

    [sent] = fakes.sent("PATCH", SHOP)
    assert sent["name"] == "Mara's Renamed Books"
    # Neither the profile nor the two-zone figures are sent: no home or rest-of-the-world
    # region is added to a profile that has none.
    assert "shipping_profile" not in sent and "shipping" not in sent
