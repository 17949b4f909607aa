"""What only the embedded SQLite adapter promises: its file, its threads, its ranking cap."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace

from services.catalog.search.embedded import EmbeddedSearchIndex
from services.catalog.search.port import SearchQuery, Shipping
from services.catalog.search.text import fts5_match, highlight, terms
from tests.catalog.factories import document


def test_embedded_index_keeps_documents_across_reopening(tmp_path):
    path = tmp_path / "index.sqlite"
    first = EmbeddedSearchIndex(path)
    book = document(title="The Hobbit")
    first.upsert([book])
    first.close()

    reopened = EmbeddedSearchIndex(path)

    assert reopened.get(book.listing_id) == book
    reopened.close()


def test_embedded_index_ranks_and_counts_only_the_newest_candidates(tmp_path):
    index = EmbeddedSearchIndex(tmp_path / "index.sqlite", candidate_cap=2)
    oldest_best = document(title="Hobbit Hobbit Hobbit")
    index.upsert([oldest_best])
    index.upsert([document(title="Hobbit maps", description="x " * 50) for _ in range(3)])

    results = index.search(SearchQuery("hobbit", per_page=10))

    assert results.total == 2
    assert len(results.hits) == 2
    assert oldest_best.listing_id not in {hit.document.listing_id for hit in results.hits}
    index.close()


def test_embedded_index_looks_for_longer_words_only_while_whole_ones_leave_room(tmp_path):
    index = EmbeddedSearchIndex(tmp_path / "index.sqlite", candidate_cap=2)
    longer = document(title="Hobbitses")
    index.upsert([longer])
    index.upsert([document(title="The Hobbit") for _ in range(2)])

    filled = index.search(SearchQuery("hobbit"))
    roomy = EmbeddedSearchIndex(tmp_path / "index.sqlite", candidate_cap=3).search(
        SearchQuery("hobbit")
    )

    assert filled.total == 2
    assert longer.listing_id not in {hit.document.listing_id for hit in filled.hits}
    assert roomy.total == 3
    assert roomy.hits[-1].document.listing_id == longer.listing_id
    index.close()


def test_embedded_index_filters_the_candidates_after_the_cap(tmp_path):
    # The newest two exact matches are the candidates: the filter keeps one of them, and the
    # misspelt match is never looked for, however the filter would treat it.
    index = EmbeddedSearchIndex(tmp_path / "index.sqlite", candidate_cap=2)
    misspelt = document(title="Letters", author="Tolkein", shop_country="FR")
    index.upsert([misspelt])
    french = document(title="Letters", author="Tolkien", shop_country="FR")
    index.upsert([french, document(title="Letters", author="Tolkien", shop_country="GB")])

    results = index.search(SearchQuery("tolkien", countries=("FR",), facets=("country",)))

    assert [hit.document.listing_id for hit in results.hits] == [french.listing_id]
    assert (results.total, results.facets) == (1, {"country": {"FR": 1}})
    index.close()


def test_embedded_index_adds_misspelt_matches_while_exact_ones_leave_room(tmp_path):
    index = EmbeddedSearchIndex(tmp_path / "index.sqlite", candidate_cap=3)
    misspelt = document(title="Letters", author="Tolkein", shop_country="FR")
    index.upsert([misspelt])
    french = document(title="Letters", author="Tolkien", shop_country="FR")
    index.upsert([french, document(title="Letters", author="Tolkien", shop_country="GB")])

    results = index.search(SearchQuery("tolkien", countries=("FR",), facets=("country",)))

    assert [hit.document.listing_id for hit in results.hits] == [
        french.listing_id,
        misspelt.listing_id,
    ]
    assert (results.total, results.facets) == (2, {"country": {"FR": 2}})
    index.close()


def test_embedded_index_serves_searches_while_another_thread_writes(tmp_path):
    index = EmbeddedSearchIndex(tmp_path / "index.sqlite", pool_size=2)
    errors: list[BaseException] = []

    def write() -> None:
        for n in range(50):
            index.upsert([document(title=f"Hobbit {n}")])

    def read() -> None:
        try:
            for _ in range(50):
                results = index.search(SearchQuery("hobbit"))
                assert results.total >= len(results.hits)
        except BaseException as error:  # collected so the main thread can fail the test
            errors.append(error)

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert index.search(SearchQuery("hobbit")).total == 50
    index.close()


def test_embedded_index_sorts_a_short_prefix_by_the_order_asked(tmp_path):
    index = EmbeddedSearchIndex(tmp_path / "index.sqlite")
    in_title = document(title="Dragons", price_amount=3000, shop_rating=4.0, shop_reviews=1)
    in_author = document(author="Drake", price_amount=1000, shop_rating=3.0, shop_reviews=1)
    in_description = document(
        description="Drawn by hand", price_amount=2000, shop_rating=4.8, shop_reviews=1
    )
    index.upsert([in_title, in_author, in_description])

    def ids(**options) -> list[str]:
        found = index.search(SearchQuery("dra", **options)).hits
        return [hit.document.listing_id for hit in found]

    assert ids() == [in_title.listing_id, in_author.listing_id, in_description.listing_id]
    assert ids(sort="price") == [
        in_author.listing_id,
        in_description.listing_id,
        in_title.listing_id,
    ]
    assert ids(sort="newest") == [
        in_description.listing_id,
        in_author.listing_id,
        in_title.listing_id,
    ]
    assert ids(sort="reputation") == [
        in_description.listing_id,
        in_title.listing_id,
        in_author.listing_id,
    ]
    # A filter leaves out the title match: the author match heads the first page.
    assert ids(price_max=2000, per_page=1) == [in_author.listing_id]
    index.close()


def test_fts5_match_quotes_every_word_and_prefixes_the_last():
    assert fts5_match('Tolkien "hob') == '"tolkien" "hob"*'
    assert fts5_match("AND OR (") == '"and" "or"*'
    assert fts5_match("  ()*^ ") is None


def test_fts5_match_takes_a_last_word_without_completions_as_a_word():
    assert fts5_match("tolkien letters", completions=[]) == '"tolkien" "letters"'
    assert fts5_match("tolkein letters", {"tolkein": ["tolkien"]}, completions=[]) == (
        '("tolkein" OR "tolkien") AND "letters"'
    )


def test_embedded_index_matches_a_long_prefix_of_a_word_only_another_column_holds(tmp_path):
    # Neither word is in the vocabulary of short fields: only the full-text index knows that
    # "9780261" and "middlee" begin a longer word, so they must still match as prefixes.
    index = EmbeddedSearchIndex(tmp_path / "index.sqlite")
    book = document(title="Letters", isbn="978-0-261-10221-7", description="Of Middleearth")
    index.upsert([book, document(title="Letters", isbn=None, description="Of Middlee")])

    assert [hit.document.listing_id for hit in index.search(SearchQuery("9780261")).hits] == [
        book.listing_id
    ]
    assert index.search(SearchQuery("letters middlee")).total == 2
    assert index.search(SearchQuery("letters middleearth")).total == 1
    index.close()


def test_terms_fold_case_and_accents():
    assert terms("Émile ÉDUCATION naïve") == ["emile", "education", "naive"]


def test_highlight_marks_whole_words_and_escapes_the_rest():
    assert highlight("<b>Émile</b> & emilia", ["emil"]) == (
        "&lt;b&gt;<mark>Émile</mark>&lt;/b&gt; &amp; <mark>emilia</mark>"
    )
    assert highlight("The Hobbit", []) == "The Hobbit"


def test_embedded_landed_price_picks_each_shops_rate_to_the_shoppers_country(tmp_path):
    index = EmbeddedSearchIndex(tmp_path / "index.sqlite")
    local = document(
        title="Dune",
        shop_country="GB",
        price_amount=1000,
        shipping=Shipping.two_zones(300, 2000, "EUR"),
    )
    foreign = document(
        title="Dune",
        shop_country="FR",
        price_amount=500,
        shipping=Shipping.two_zones(100, 1000, "EUR"),
    )
    silent = document(title="Dune", shop_country="FR", price_amount=200)
    index.upsert([local, foreign, silent])

    def order(**options) -> list[str]:
        found = index.search(SearchQuery("dune", sort="landed_price", **options))
        return [hit.document.listing_id for hit in found.hits]

    # 1300 delivered from home, 1500 from France; unknown rates last.
    assert order(ship_to="gb") == [local.listing_id, foreign.listing_id, silent.listing_id]
    # Without a country: each shop's domestic rate, the price alone where it is unknown.
    assert order() == [silent.listing_id, foreign.listing_id, local.listing_id]
    index.close()


def test_an_index_file_without_landed_prices_by_destination_is_upgraded_in_place(tmp_path):
    path = tmp_path / "index.sqlite"
    index = EmbeddedSearchIndex(path)
    book = document(
        title="Dune",
        shop_country="FR",
        price_amount=500,
        shipping=Shipping.two_zones(100, 1000, "EUR"),
    )
    index.upsert([book])
    index.close()
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "ALTER TABLE documents DROP COLUMN landed_domestic;"
            "ALTER TABLE documents DROP COLUMN landed_international;"
            "ALTER TABLE documents DROP COLUMN images;"
            "ALTER TABLE documents DROP COLUMN shop_town;"
            "ALTER TABLE documents DROP COLUMN shop_lat;"
            "ALTER TABLE documents DROP COLUMN shop_lon;"
            "ALTER TABLE documents DROP COLUMN rates_key;"
            "DROP TABLE shop_rates;"
            # The two-zone shape documents kept their shop's rates in then.
            "UPDATE documents SET shipping = json_object('domestic_first', 100,"
            " 'international_first', 1000, 'currency', 'EUR', 'free_over', NULL);"
            "PRAGMA user_version = 3;"
        )

    reopened = EmbeddedSearchIndex(path)
    with sqlite3.connect(path) as connection:
        stored = connection.execute(
            "SELECT landed_domestic, landed_international FROM documents"
        ).fetchall()
    found = reopened.search(SearchQuery("dune", sort="landed_price", ship_to="GB"))
    reopened.close()

    assert stored == [(600, 1500)]
    assert [hit.document.listing_id for hit in found.hits] == [book.listing_id]


def test_search_counts_facets_most_frequent_first_then_alphabetically(tmp_path):
    index = EmbeddedSearchIndex(tmp_path / "index.sqlite")
    index.upsert(
        [
            document(title="Dune", shop_id="b", categories=("sf", "classics")),
            document(title="Dune", shop_id="a", categories=("sf",)),
            document(title="Dune", shop_id="c", categories=("sf", "classics")),
            document(title="Dune", shop_id="c"),
        ]
    )

    facets = index.search(SearchQuery("dune", facets=("shop", "category"))).facets
    index.close()

    assert list(facets["shop"].items()) == [("c", 2), ("a", 1), ("b", 1)]
    assert facets["category"] == {"sf": 3, "classics": 2}


def test_an_index_file_without_images_is_upgraded_in_place(tmp_path):
    path = tmp_path / "index.sqlite"
    index = EmbeddedSearchIndex(path)
    book = document(title="Dune")
    index.upsert([book])
    index.close()
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "ALTER TABLE documents DROP COLUMN images;"
            "ALTER TABLE documents DROP COLUMN shop_town;"
            "ALTER TABLE documents DROP COLUMN shop_lat;"
            "ALTER TABLE documents DROP COLUMN shop_lon;"
            "ALTER TABLE documents DROP COLUMN rates_key;"
            "PRAGMA user_version = 4;"
        )

    reopened = EmbeddedSearchIndex(path)
    kept = reopened.get(book.listing_id)
    cover = {"key": "ab" * 16, "alt": "Front", "colour": "#102030", "sizes": {}}
    reopened.upsert([replace(book, images=(cover,))])
    found = reopened.search(SearchQuery("dune"))
    reopened.close()

    assert kept is not None and kept.images == ()
    assert found.hits[0].document.images == (cover,)


def test_an_index_file_without_places_or_rates_by_destination_is_upgraded_in_place(tmp_path):
    path = tmp_path / "index.sqlite"
    index = EmbeddedSearchIndex(path)
    book = document(
        title="Dune",
        shop_country="FR",
        price_amount=500,
        shipping=Shipping.two_zones(100, 1000, "EUR"),
    )
    index.upsert([book])
    index.close()
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "ALTER TABLE documents DROP COLUMN shop_town;"
            "ALTER TABLE documents DROP COLUMN shop_lat;"
            "ALTER TABLE documents DROP COLUMN shop_lon;"
            "ALTER TABLE documents DROP COLUMN rates_key;"
            "DROP TABLE shop_rates;"
            "UPDATE documents SET shipping = json_object('domestic_first', 100,"
            " 'international_first', 1000, 'currency', 'EUR', 'free_over', NULL);"
            "PRAGMA user_version = 5;"
        )

    reopened = EmbeddedSearchIndex(path)
    # Until its shop changes or a reindex, the two landed prices it kept stand in.
    found = reopened.search(SearchQuery("dune", sort="landed_price", ship_to="GB"))
    kept = reopened.get(book.listing_id)
    reopened.close()

    assert [hit.document.listing_id for hit in found.hits] == [book.listing_id]
    assert kept is not None and kept.landed_amount_to("GB") == 1500
