"""The shipping page of the seller portal: the whole profile edited in plain forms, saved
through the shops service, bad input refused field by field with nothing written."""

from __future__ import annotations

import pytest
import requests

from services.common import shipping
from tests.gateway.helpers import post_form, sign_up, text
from tests.gateway.sell.conftest import open_shop, user_id
from tests.gateway.sell.helpers import submit


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


def test_a_seller_sets_regions_services_free_over_and_an_excluded_country(seller):
    response = submit(seller.client, "/sell/shipping", two_regions())

    assert response.status_code == 302
    profile = shipping.profile_from_dict(seller.stored_shop()["shipping"]["profile"])

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
    assert profile.pickup is True
    page = text(seller.client.get("/sell/shipping"))
    assert (
        "European Union: Economy €2.90, each more €0.50, 3–5 days; "
        "Express €12.00, each more €2.00, 1–2 days; free over €40.00"
    ) in page
    assert 'name="regions-1-services-1-code" type="text" value="express"' in page


def test_named_countries_win_over_their_group(seller):
    form = {
        **region(0, "eu"),
        **service(0, 0, "standard", "8"),
        **region(1, "countries", countries=["FR", "BE"], name="France and Belgium"),
        **service(1, 0, "economy", "2.90", "0.50", ("3", "5")),
        "action": "save",
    }

    response = submit(seller.client, "/sell/shipping", form)

    assert response.status_code == 302
    stored = seller.stored_shop()["shipping"]["profile"]
    assert stored["regions"][1]["countries"] == ["BE", "FR"]
    profile = shipping.profile_from_dict(stored)
    fr = shipping.quote(profile, shop_country="NL", destination="FR", items=1, subtotal=100)
    de = shipping.quote(profile, shop_country="NL", destination="DE", items=1, subtotal=100)
    assert (fr.amount, de.amount) == (290, 800)
    assert "France and Belgium: Economy €2.90, each more €0.50, 3–5 days" in text(
        seller.client.get("/sell/shipping")
    )


def test_buttons_add_and_remove_rows_without_saving(seller):
    before = seller.stored_shop()
    base = {**region(0, "home"), **service(0, 0, "standard", "4.50")}

    more = submit(seller.client, "/sell/shipping", {**base, "action": "add_service-0"})
    region_added = submit(
        seller.client, "/sell/shipping", {**base, "action": "add_region", "new_region": "world"}
    )
    removed = submit(seller.client, "/sell/shipping", {**base, "action": "remove_service-0-0"})

    assert more.status_code == 200
    assert 'id="regions-0-services-1-code"' in text(more)
    assert 'value="4.50"' in text(more)  # what was typed stays
    assert 'id="regions-1-where"' in text(region_added)
    assert '<option value="world" selected>' in text(region_added)
    assert 'id="regions-0-services-0-code"' not in text(removed)
    assert seller.stored_shop() == before


def test_bad_input_gets_messages_next_to_fields_and_saves_nothing(seller):
    before = seller.stored_shop()
    bad = two_regions(
        **service(0, 1, "express", "cheap", "-1", ("5", "3")),
        **{"regions-1-free_over": "0", "regions-1-services-1-code": "economy"},
        **region(2, "countries"),
        **service(2, 0, "", ""),
    )

    response = submit(seller.client, "/sell/shipping", bad)

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
    assert seller.stored_shop() == before


def test_a_region_group_twice_and_no_region_are_refused(seller):
    before = seller.stored_shop()
    twice = {
        **region(0, "eu"),
        **service(0, 0, "standard", "5"),
        **region(1, "eu"),
        **service(1, 0, "standard", "6"),
        "action": "save",
    }

    refused = submit(seller.client, "/sell/shipping", twice)
    empty = submit(seller.client, "/sell/shipping", {"action": "save"})

    assert refused.status_code == 400
    assert 'id="regions-1-where-error"' in text(refused)
    assert "Region 1 already covers European Union" in text(refused)
    assert empty.status_code == 400
    assert "Add at least one region you ship to." in text(empty)
    assert seller.stored_shop() == before


def test_the_shops_service_refusal_is_shown_next_to_its_row(seller):
    # 1000.01 passes the page but is over the service's cap for a shipping rate.
    before = seller.stored_shop()

    response = submit(
        seller.client, "/sell/shipping", two_regions(**{"regions-1-services-0-first": "1000.01"})
    )

    assert response.status_code == 422
    assert 'id="regions-1-services-0-error"' in text(response)
    assert "A shipping rate above 1,000 is likely a typo." in text(response)
    assert seller.stored_shop() == before


def test_the_page_is_linked_from_the_portal_and_the_settings(seller):
    settings = text(seller.client.get("/sell/settings"))

    assert 'href="/sell/shipping"' in settings and 'id="shipping-link"' in settings
    assert '<a href="/sell/shipping" aria-current="page">Shipping</a>' in text(
        seller.client.get("/sell/shipping")
    )


def test_another_shops_member_can_neither_see_nor_change_it(seller, live_gateway, services):
    submit(seller.client, "/sell/shipping", two_regions())
    mine = seller.stored_shop()
    other = open_shop(live_gateway, services, "jo@example.org", "Jo's Maps", "Jo")

    # Choosing Mara's shop is refused; Jo's page shows and changes Jo's shop only.
    post_form(other.client, "/sell/shop", {"shop_id": seller.shop["id"]}, page="/sell/")
    page = text(other.client.get("/sell/shipping"))
    saved = submit(
        other.client,
        "/sell/shipping",
        {**region(0, "world"), **service(0, 0, "post", "7"), "action": "save"},
    )

    assert "Jo&#39;s Maps" in page
    assert "Economy €2.90" not in page and "Mara&#39;s Books" not in page
    assert saved.status_code == 302
    assert seller.stored_shop() == mine
    [jo] = other.stored_shop()["shipping"]["profile"]["regions"]
    assert jo["services"][0]["code"] == "post"


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(live_gateway):
    client = live_gateway.test_client()

    response = client.get("/sell/shipping")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_see_the_shipping_but_only_the_owner_changes_it(seller, live_gateway):
    submit(seller.client, "/sell/shipping", two_regions())
    before = seller.stored_shop()
    sam = live_gateway.test_client()
    sign_up(sam, email="sam@example.org", display_name="Sam Staff")
    added = requests.post(
        f"{seller.services.shops_url}/shops/{seller.shop['id']}/members",
        json={"user_id": user_id(live_gateway, "sam@example.org"), "role": "staff"},
        headers=seller._headers(),
        timeout=5,
    )
    assert added.status_code == 201, added.text

    page = sam.get("/sell/shipping")
    refused = submit(sam, "/sell/shipping", two_regions(**{"regions-1-free_over": "10"}))

    assert page.status_code == 200 and "free over €40.00" in text(page)
    assert refused.status_code == 403
    assert "Only the shop&#39;s owner can change its settings" in text(refused)
    assert 'value="10"' in text(refused)  # what Sam typed stays on the page
    assert seller.stored_shop() == before


def shown_value(page: str, name: str) -> str:
    """What the settings page shows in a text field, as the browser would send it back."""
    import html
    import re

    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert tag, name
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def test_saving_the_settings_page_as_shown_leaves_a_profile_of_other_regions_alone(seller):
    eu_only = {
        **region(0, "eu"),
        **service(0, 0, "economy", "2.90", "0.50", ("3", "5")),
        "action": "save",
    }
    assert submit(seller.client, "/sell/shipping", eu_only).status_code == 302
    before = seller.stored_shop()["shipping"]["profile"]

    page = text(seller.client.get("/sell/settings"))
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
    assert submit(seller.client, "/sell/settings", form).status_code == 302

    stored = seller.stored_shop()
    assert stored["name"] == "Mara's Renamed Books"
    assert stored["shipping"]["profile"] == before  # no home or rest-of-the-world region added
    profile = shipping.profile_from_dict(stored["shipping"]["profile"])
    with pytest.raises(shipping.NotShipped):
        shipping.quote(
            profile, shop_country="NL", destination="US", items=1, subtotal=1000, service=None
        )
