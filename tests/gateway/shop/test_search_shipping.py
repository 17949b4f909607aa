"""Search results say what shipping to the shopper's country costs; the page lets them
choose that country and remembers it.

Against fake services (tests/gateway/fakes.py): the catalog is a canned answer that prices
each hit's shipping to the country it is asked for, as the catalog does.
"""

from __future__ import annotations

from gateway.pages.search import shipping_note
from tests.gateway.fakes import FakeServices
from tests.gateway.shop.factories import search_page
from tests.gateway.shop.fakes_storefront import a_hit, search_results

EUR = "EUR"


def eur(amount: int) -> dict:
    return {"amount": amount, "currency": EUR}


def test_shipping_note_says_the_cost_or_free_to_the_country():
    hit = {"price": eur(1000), "landed_price": eur(1450)}

    assert shipping_note(hit, country="FR") == "+ €4.50 shipping to France"
    assert shipping_note({**hit, "landed_price": eur(1000)}, country="FR") == (
        "free shipping to France"
    )
    assert shipping_note(hit, country=None) is None
    assert shipping_note({**hit, "landed_price": None}, country="FR") is None


def middlemarch_shipped(options: dict) -> dict:
    """A Dutch shop's €12.00 copy, with €3.95 shipping at home and €9.50 abroad."""
    ship_to = (options.get("params") or {}).get("ship_to")
    shipping = {None: None, "NL": 395}.get(ship_to, 950)
    landed = None if shipping is None else 1200 + shipping
    return search_results(a_hit("listing-1", "Middlemarch", price=1200, landed_price=landed))


def test_search_results_show_shipping_to_the_chosen_country_and_remember_it(app):
    fakes = FakeServices().install(app)
    fakes.on("GET", "/search", middlemarch_shipped)
    shopper = app.test_client()

    page = search_page(shopper, q="middlemarch", ship_to="FR")

    assert "+ €9.50 shipping to France" in page
    assert '<option value="FR" selected>' in page
    # The choice is kept for the next searches of this visit.
    later = search_page(shopper, q="middlemarch")
    assert "+ €9.50 shipping to France" in later
    assert '<option value="FR" selected>' in later
    home = search_page(shopper, q="middlemarch", ship_to="NL")
    assert "+ €3.95 shipping to Netherlands" in home
    asked = [call.options["params"]["ship_to"] for call in fakes.asked("GET", "/search")]
    assert asked == ["FR", "FR", "NL"]


def test_search_without_a_country_shows_no_shipping(app):
    fakes = FakeServices().install(app)
    fakes.on("GET", "/search", middlemarch_shipped)

    page = search_page(app.test_client(), q="middlemarch")

    assert "Middlemarch" in page and "shipping to" not in page
    [asked] = fakes.asked("GET", "/search")
    assert "ship_to" not in asked.options["params"]


def test_search_with_an_unknown_ship_to_country_says_so(app):
    fakes = FakeServices().install(app)
    fakes.on("GET", "/search", {"hits": [], "total": 0, "page": 1, "facets": {}})

    response = app.test_client().get("/search", query_string={"ship_to": "XX"})

    assert response.status_code == 400
    assert "Choose a country from the list." in response.get_data(as_text=True)
