"""Search results say what shipping to the shopper's country costs; the page lets them
choose that country and remembers it."""

from __future__ import annotations

from gateway.pages.search import shipping_note
from tests import support
from tests.gateway.fakes import FakeServices
from tests.gateway.shop.factories import a_seller, search_page

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


def test_search_results_show_shipping_to_the_chosen_country_and_remember_it(services, live_gateway):
    seller = a_seller(services, country="NL")
    seller.change_shop(
        shipping={
            "domestic_first": eur(395),
            "domestic_additional": eur(100),
            "international_first": eur(950),
            "international_additional": eur(300),
        }
    )
    seller.list(title="Middlemarch", isbn=None, price=eur(1200))
    shopper = live_gateway.test_client()

    page = support.wait_for(
        lambda: (
            (html := search_page(shopper, q="middlemarch", ship_to="FR"))
            and "+ €9.50 shipping to France" in html
            and html
        )
    )
    assert '<option value="FR" selected>' in page
    # The choice is kept for the next searches of this visit.
    later = search_page(shopper, q="middlemarch")
    assert "+ €9.50 shipping to France" in later
    assert '<option value="FR" selected>' in later
    home = search_page(shopper, q="middlemarch", ship_to="NL")
    assert "+ €3.95 shipping to Netherlands" in home


def test_search_with_an_unknown_ship_to_country_says_so(app):
    fakes = FakeServices().install(app)
    fakes.on("GET", "/search", {"hits": [], "total": 0, "page": 1, "facets": {}})

    response = app.test_client().get("/search", query_string={"ship_to": "XX"})

    assert response.status_code == 400
    assert "Choose a country from the list." in response.get_data(as_text=True)
