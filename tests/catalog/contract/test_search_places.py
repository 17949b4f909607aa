"""Contract tests of the SearchIndex port for where things are: shops near the shopper
(distance filter and sort), countries a shop does not ship to, and the landed price by the
cheapest service that reaches the shopper. Every adapter must behave like this."""

from __future__ import annotations

from services.catalog.search.port import SearchIndex, SearchQuery, Shipping
from services.common import shipping as shipping_rule
from tests.catalog.factories import document

# Town centres (GeoNames): Lyon, Villeurbanne (next door), Grenoble (~95 km), Paris (~390 km).
LYON = (45.74906, 4.84789)
VILLEURBANNE = (45.76601, 4.8795)
GRENOBLE = (45.16667, 5.71667)
PARIS = (48.85341, 2.3488)


def ids(index: SearchIndex, text: str = "", **options) -> list[str]:
    return [hit.document.listing_id for hit in index.search(SearchQuery(text, **options)).hits]


def shop_in(place: tuple[float, float], town: str, **fields):
    return document(
        shop_id=f"shop-{town}",
        shop_town=town,
        shop_latitude=place[0],
        shop_longitude=place[1],
        shop_country="FR",
        **fields,
    )


def test_search_sorts_the_nearest_shops_first_and_unplaced_ones_last(search_index):
    books = {
        "paris": shop_in(PARIS, "Paris", title="Dune"),
        "grenoble": shop_in(GRENOBLE, "Grenoble", title="Dune"),
        "lyon": shop_in(LYON, "Lyon", title="Dune"),
        "nowhere": document(title="Dune"),
    }
    search_index.upsert(list(books.values()))

    near_lyon = ids(search_index, "dune", sort="distance", near=VILLEURBANNE)
    no_words = ids(search_index, sort="distance", near=PARIS)

    assert near_lyon == [books[n].listing_id for n in ("lyon", "grenoble", "paris", "nowhere")]
    assert no_words == [books[n].listing_id for n in ("paris", "lyon", "grenoble", "nowhere")]


def test_search_keeps_only_the_shops_within_the_distance(search_index):
    books = {
        "lyon": shop_in(LYON, "Lyon", title="Dune"),
        "grenoble": shop_in(GRENOBLE, "Grenoble", title="Dune"),
        "paris": shop_in(PARIS, "Paris", title="Dune"),
        "nowhere": document(title="Dune"),
    }
    search_index.upsert(list(books.values()))

    within_20 = ids(search_index, "dune", near=VILLEURBANNE, within_km=20, sort="distance")
    within_150 = ids(search_index, "dune", near=VILLEURBANNE, within_km=150, sort="distance")
    total = search_index.search(SearchQuery("dune", near=VILLEURBANNE, within_km=150)).total

    assert within_20 == [books["lyon"].listing_id]
    assert within_150 == [books["lyon"].listing_id, books["grenoble"].listing_id]
    assert total == 2


FRENCH_SHOP = shipping_rule.profile_from_dict(
    {
        "currency": "EUR",
        "regions": [
            {"group": "home", "name": "France", "services": [
                {"code": "economy", "name": "Economy", "first": 300},
                {"code": "express", "name": "Express", "first": 900}]},
            {"group": "eu", "name": "EU", "free_over": 1000,
             "services": [{"code": "standard", "name": "Standard", "first": 700}]},
        ],
        # No rest-of-the-world region: it ships to the EU only.
        "excluded": ["BE"],
    }
)  # fmt: skip


def test_a_country_the_shop_does_not_ship_to_takes_its_offers_out_of_ships_to_results(
    search_index,
):
    eu_only = document(title="Dune", shop_id="eu", shop_country="FR", price_amount=500,
                       shipping=Shipping(FRENCH_SHOP))  # fmt: skip
    anywhere = document(title="Dune", shop_id="any", shop_country="DE", price_amount=1200,
                        shipping=Shipping.two_zones(100, 400, "EUR"))  # fmt: skip
    silent = document(title="Dune", shop_id="silent", price_amount=700)
    search_index.upsert([eu_only, anywhere, silent])

    to_germany = ids(search_index, "dune", ship_to="DE", sort="landed_price")
    to_belgium = ids(search_index, "dune", ship_to="BE", sort="landed_price")
    to_us = ids(search_index, "dune", ship_to="US", sort="landed_price")
    everywhere = ids(search_index, "dune", sort="price")

    # 500 + 700 to Germany; 1200 + 100 from a German shop; rates unknown last.
    assert to_germany == [eu_only.listing_id, anywhere.listing_id, silent.listing_id]
    assert to_belgium == [anywhere.listing_id, silent.listing_id]
    assert to_us == [anywhere.listing_id, silent.listing_id]
    assert everywhere == [eu_only.listing_id, silent.listing_id, anywhere.listing_id]


def test_the_landed_price_counts_the_cheapest_service_and_free_shipping_per_region(
    search_index,
):
    dear = document(title="Dune", shop_id="eu", shop_country="FR", price_amount=1000,
                    shipping=Shipping(FRENCH_SHOP))  # fmt: skip
    cheap = document(title="Dune", shop_id="any", shop_country="DE", price_amount=950,
                     shipping=Shipping.two_zones(100, 400, "EUR"))  # fmt: skip
    search_index.upsert([dear, cheap])

    # In Spain: 1000 ships free (EU from 10.00), 950 + 400 from Germany.
    to_spain = ids(search_index, "dune", ship_to="ES", sort="landed_price")
    # At home in France: 1000 + 300 by economy, not express; 950 + 400 from Germany.
    to_france = ids(search_index, "dune", ship_to="FR", sort="landed_price")

    assert to_spain == [dear.listing_id, cheap.listing_id]
    assert to_france == [dear.listing_id, cheap.listing_id]
    found = search_index.get(dear.listing_id)
    assert found is not None
    assert found.landed_amount_to("ES") == 1000
    quote = found.landed_quote_to("FR")
    assert quote is not None and (quote.amount, quote.service) == (300, "economy")
