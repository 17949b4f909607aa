"""The Meilisearch adapter against a recording HTTP server: the settings and searches it
sends, and that a failed task is an error."""

from __future__ import annotations

import pytest

from services.catalog.search.meili import (
    SETTINGS,
    MeiliSearchIndex,
    SearchTaskFailed,
    filter_expressions,
    quote,
    search_params,
)
from services.catalog.search.port import FACETS, MAX_OFFERS, SearchQuery, Shipping
from services.common import shipping as shipping_rule
from tests.catalog.factories import document
from tests.catalog.meili_server import running_fake_meilisearch


@pytest.fixture
def meili():
    with running_fake_meilisearch() as fake:
        yield fake


def test_start_creates_the_index_and_applies_settings(meili):
    MeiliSearchIndex(meili.url, api_key="secret", index_uid="listings")

    (created,) = meili.sent("POST", "/indexes")
    assert created.body == {"uid": "listings", "primaryKey": "listing_id"}
    (settings,) = meili.sent("PATCH", "/indexes/listings/settings")
    assert settings.body == SETTINGS
    assert settings.headers["Authorization"] == "Bearer secret"
    assert settings.body["pagination"]["maxTotalHits"] >= 10_000
    assert settings.body["typoTolerance"]["minWordSizeForTypos"] == {"oneTypo": 5, "twoTypos": 9}
    assert set(FACETS) and {"shop_id", "condition_rank", "work_id"} <= set(
        settings.body["filterableAttributes"]
    )


def test_start_on_an_existing_index_only_reapplies_settings(meili):
    MeiliSearchIndex(meili.url, index_uid="listings")
    MeiliSearchIndex(meili.url, index_uid="listings")

    assert len(meili.sent("POST", "/indexes")) == 1
    assert len(meili.sent("PATCH", "/indexes/listings/settings")) == 2


def test_upsert_sends_documents_in_batches_and_waits(meili):
    index = MeiliSearchIndex(meili.url)
    books = [document(title=f"Book {n}") for n in range(2500)]

    index.upsert(books)

    batches = meili.sent("POST", "/indexes/listings/documents")
    assert [len(batch.body) for batch in batches] == [1000, 1000, 500]
    assert index.get(books[0].listing_id) == books[0]
    assert index.get("unknown") is None


def test_upsert_raises_when_the_task_fails(meili):
    index = MeiliSearchIndex(meili.url)
    meili.failing.add("documentAdditionOrUpdate")

    with pytest.raises(SearchTaskFailed, match="invalid_document_id"):
        index.upsert([document()])


def test_search_translates_filters_sort_facets_and_page(meili):
    index = MeiliSearchIndex(meili.url)
    book = document(title="The <Hobbit>", author="Tolkien")
    meili.search_response = {
        "hits": [
            {
                **_json(book),
                "_formatted": {"title": "The <\ue000Hobbit\ue001>", "author": "Tolkien"},
            }
        ],
        "totalHits": 31,
        "facetDistribution": {"shop_id": {"shop-1": 31}, "condition": {"good": 31}},
    }

    results = index.search(
        SearchQuery(
            "hobbit",
            page=2,
            per_page=10,
            price_min=100,
            price_max=2000,
            condition_at_least="very_good",
            shops=('a"b',),
            categories=("Maps \\ Atlases",),
            sort="landed_price",
            facets=("shop", "condition"),
        )
    )

    (sent,) = meili.sent("POST", "/indexes/listings/search")
    assert sent.body == {
        "q": "hobbit",
        "page": 2,
        "hitsPerPage": 10,
        "matchingStrategy": "all",
        "attributesToHighlight": ["title", "author"],
        "highlightPreTag": "\ue000",
        "highlightPostTag": "\ue001",
        "filter": [
            "price_amount >= 100",
            "price_amount <= 2000",
            "condition_rank >= 4",
            'shop_id IN ["a\\"b"]',
            'categories IN ["Maps \\\\ Atlases"]',
        ],
        "facets": ["shop_id", "condition"],
        "sort": ["landed_amount:asc"],
    }
    assert results.total == 31
    assert results.facets == {"shop": {"shop-1": 31}, "condition": {"good": 31}}
    assert results.hits[0].highlight.title == "The &lt;<mark>Hobbit</mark>&gt;"
    assert results.hits[0].document == book


def test_search_without_text_sorts_newest_first(meili):
    index = MeiliSearchIndex(meili.url)

    index.search(SearchQuery(""))

    (sent,) = meili.sent("POST", "/indexes/listings/search")
    assert sent.body["sort"] == ["created_ts:desc"]
    assert "filter" not in sent.body


def test_swap_in_swaps_indexes_and_deletes_the_old_content(meili):
    live = MeiliSearchIndex(meili.url)
    replacement = live.build_replacement()
    replacement.upsert([document(title="Rebuilt")])

    live.swap_in(replacement)

    (swap,) = meili.sent("POST", "/swap-indexes")
    assert swap.body == [{"indexes": ["listings", replacement.uid]}]
    assert meili.sent("DELETE", f"/indexes/{replacement.uid}")
    assert [d["title"] for d in meili.indexes["listings"].values()] == ["Rebuilt"]


@pytest.mark.parametrize(
    "value, literal",
    [("plain", '"plain"'), ('say "hi"', '"say \\"hi\\""'), ("back\\slash", '"back\\\\slash"')],
)
def test_quote_escapes_quotes_and_backslashes(value, literal):
    assert quote(value) == literal


def test_filter_expressions_is_empty_without_filters():
    assert filter_expressions(SearchQuery("x")) == []


def _json(book):
    from services.catalog.search.meili import to_json

    return to_json(book)


def test_settings_let_search_sort_and_filter_by_the_shops_rating():
    assert {"shop_rating", "shop_reviews"} <= set(SETTINGS["sortableAttributes"])
    assert "shop_rating" in SETTINGS["filterableAttributes"]


def test_search_by_reputation_sends_rating_then_review_count_and_minimum(meili):
    index = MeiliSearchIndex(meili.url)
    rated = document(title="Rated", shop_rating=4.5, shop_reviews=12)
    meili.search_response = {"hits": [_json(rated)], "totalHits": 1}

    results = index.search(SearchQuery("", sort="reputation", rating_at_least=4))

    (sent,) = meili.sent("POST", "/indexes/listings/search")
    assert sent.body["sort"] == ["shop_rating:desc", "shop_reviews:desc"]
    assert sent.body["filter"] == ["shop_rating >= 4.0"]
    assert (results.hits[0].document.shop_rating, results.hits[0].document.shop_reviews) == (
        4.5,
        12,
    )


@pytest.mark.parametrize(
    "countries, ship_to, expected",
    [
        ((), None, "landed_amount:asc"),
        (("GB",), "GB", "landed_GB:asc"),
        (("FR", "DE"), "GB", "landed_GB:asc"),
        # Domestic and foreign shops mixed: each document keeps its price to GB.
        (("FR", "GB"), "GB", "landed_GB:asc"),
        ((), "gb", "landed_GB:asc"),
    ],
)
def test_landed_price_sorts_by_each_documents_price_to_the_shoppers_country(
    countries, ship_to, expected
):
    query = SearchQuery("dune", sort="landed_price", countries=countries, ship_to=ship_to)

    assert search_params(query)["sort"] == [expected]


def test_documents_carry_their_landed_price_to_every_country_their_shop_ships_to():
    profile = shipping_rule.profile_from_dict(
        {
            "currency": "EUR",
            "regions": [
                {"group": "home", "name": "France", "services": [
                    {"code": "economy", "name": "Economy", "first": 300},
                    {"code": "express", "name": "Express", "first": 900}]},
                {"group": "eu", "name": "EU", "free_over": 400,
                 "services": [{"code": "standard", "name": "Standard", "first": 700}]},
                {"group": "world", "name": "World",
                 "services": [{"code": "standard", "name": "Standard", "first": 1500}]},
            ],
            "excluded": ["RU"],
        }
    )  # fmt: skip
    sent = _json(document(shop_country="FR", price_amount=500, shipping=Shipping(profile)))
    two_zones = _json(document(price_amount=500, shipping=Shipping.two_zones(100, 1000, "EUR")))
    silent = _json(document(price_amount=500))

    # Home by the cheapest service; the EU free from 4.00; the rest of the world; not Russia.
    assert (sent["landed_FR"], sent["landed_DE"], sent["landed_US"]) == (800, 500, 2000)
    assert "landed_RU" not in sent and "RU" not in sent["ships_to"]
    assert sent["rated"] is True and "JP" in sent["ships_to"]
    assert (two_zones["landed_domestic"], two_zones["landed_international"]) == (600, 1500)
    assert silent["rated"] is False and not [key for key in silent if key.startswith("landed_")
                                             and key[-2:].isupper()]  # fmt: skip
    assert {"landed_FR", "landed_US", "landed_domestic"} <= set(SETTINGS["sortableAttributes"])
    assert {"rated", "ships_to", "_geo"} <= set(SETTINGS["filterableAttributes"])


def test_a_ship_to_country_keeps_out_shops_that_do_not_ship_there():
    query = SearchQuery("dune", ship_to="ru")

    assert filter_expressions(query) == ['(rated = false OR ships_to = "RU")']


def test_distance_filter_and_sort_use_geo_radius_and_geo_point(meili):
    index = MeiliSearchIndex(meili.url)
    lyon = document(title="Lyon", shop_town="Lyon", shop_latitude=45.74906, shop_longitude=4.84789)
    meili.search_response = {"hits": [_json(lyon) | {"_geoDistance": 1200}], "totalHits": 1}

    results = index.search(
        SearchQuery("", near=(45.764043, 4.835659), within_km=25.5, sort="distance")
    )

    (sent,) = meili.sent("POST", "/indexes/listings/search")
    assert sent.body["filter"] == ["_geoRadius(45.764043, 4.835659, 25500)"]
    assert sent.body["sort"] == ["_geoPoint(45.764043, 4.835659):asc"]
    assert _json(lyon)["_geo"] == {"lat": 45.74906, "lng": 4.84789}
    assert results.hits[0].document == lyon
    assert "_geo" not in _json(document())


def test_offers_asks_for_every_copy_of_a_work_cheapest_first(meili):
    index = MeiliSearchIndex(meili.url)
    copy = document(title="Dune", work_id="w-dune")
    meili.search_response = {"hits": [_json(copy)], "totalHits": 1}

    found = index.offers('w-"dune"')

    (sent,) = meili.sent("POST", "/indexes/listings/search")
    assert sent.body == {
        "q": "",
        "filter": 'work_id = "w-\\"dune\\""',
        "sort": ["landed_amount:asc", "price_amount:asc"],
        "limit": MAX_OFFERS,
    }
    assert found == [copy]


def test_offer_counts_asks_for_one_facet_over_the_works_named(meili):
    index = MeiliSearchIndex(meili.url)
    meili.search_response = {
        "hits": [],
        "totalHits": 3,
        "facetDistribution": {"work_id": {"w-a": 2, "w-b": 1}},
    }

    counts = index.offer_counts(["w-b", "w-a", "w-b"])
    nothing = index.offer_counts([])

    (sent,) = meili.sent("POST", "/indexes/listings/search")
    assert sent.body == {
        "q": "",
        "filter": 'work_id IN ["w-a", "w-b"]',
        "facets": ["work_id"],
        "limit": 0,
    }
    assert counts == {"w-a": 2, "w-b": 1}
    assert nothing == {}


def test_remove_deletes_the_documents_named_and_waits(meili):
    index = MeiliSearchIndex(meili.url)
    index.upsert([document(listing_id="l-1"), document(listing_id="l-2")])

    index.remove(["l-1"])
    index.remove([])

    (deleted,) = meili.sent("POST", "/indexes/listings/documents/delete-batch")
    assert deleted.body == ["l-1"]
    assert index.get("l-1") is None
    assert index.get("l-2") is not None


def test_a_search_that_finds_nothing_suggests_the_words_meilisearch_matched(meili):
    index = MeiliSearchIndex(meili.url)
    hobbit = document(title="The Hobbit", author="J. R. R. Tolkien")
    meili.next_search_responses = [{"hits": [], "totalHits": 0}]
    meili.search_response = {
        "hits": [
            _json(hobbit)
            | {"_matchesPosition": {"title": [{"start": 4, "length": 6}],
                                    "author": [{"start": 9, "length": 7}]}}
        ],
        "totalHits": 0,
    }  # fmt: skip

    results = index.search(SearchQuery("hobit tolkein"))

    first, relaxed = meili.sent("POST", "/indexes/listings/search")
    assert first.body["matchingStrategy"] == "all"
    assert relaxed.body == {
        "q": "hobit tolkein",
        "limit": 20,
        "matchingStrategy": "last",
        "attributesToRetrieve": ["title", "author"],
        "attributesToHighlight": [],
        "showMatchesPosition": True,
    }
    assert results.suggestions == ["hobbit tolkien"]
