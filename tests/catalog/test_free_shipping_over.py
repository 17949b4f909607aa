"""A shop's free shipping from an amount counts in the landed price and the comparison."""

from __future__ import annotations

from services.catalog.search.embedded import EmbeddedSearchIndex
from services.catalog.search.port import SearchQuery, Shipping
from services.catalog.works import compare
from tests.catalog.factories import document

FREE_OVER_50 = Shipping.two_zones(490, 1490, "EUR", free_over=5000)


def test_an_item_priced_at_the_amount_lands_without_shipping():
    dear = document(shop_country="DE", price_amount=5000, shipping=FREE_OVER_50)
    cheap = document(shop_country="DE", price_amount=4999, shipping=FREE_OVER_50)

    assert dear.landed_amount_to("FR") == 5000
    assert dear.landed_amount == 5000
    assert cheap.landed_amount_to("FR") == 4999 + 1490
    assert cheap.landed_amount_to("DE") == 4999 + 490


def test_the_comparison_and_the_landed_price_order_count_the_free_shipping(tmp_path):
    free = document(title="Dune", shop_country="DE", price_amount=5200, shipping=FREE_OVER_50)
    paid = document(
        title="Dune",
        shop_country="FR",
        price_amount=4500,
        shipping=Shipping.two_zones(900, 900, "EUR"),
    )
    index = EmbeddedSearchIndex(tmp_path / "index.sqlite")
    index.upsert([free, paid])

    found = index.search(SearchQuery("dune", sort="landed_price", ship_to="GB"))
    offers = compare([paid, free], country="GB")
    index.close()

    assert [hit.document.listing_id for hit in found.hits] == [free.listing_id, paid.listing_id]
    assert [(offer.document.listing_id, offer.shipping) for offer in offers] == [
        (free.listing_id, 0),
        (paid.listing_id, 900),
    ]
