"""Contract tests of the SearchIndex port beyond plain matching: typos, filters, facets,
sorts and works. Every adapter must behave like this."""

from __future__ import annotations

import pytest

from services.catalog.search.port import FACETS, SearchIndex, SearchQuery, Shipping
from tests.catalog.factories import document


def ids(index: SearchIndex, text: str = "", **options) -> list[str]:
    return [hit.document.listing_id for hit in index.search(SearchQuery(text, **options)).hits]


def test_search_tolerates_one_typo_from_five_letters(search_index):
    tolkien = document(title="Letters", author="Tolkien")
    search_index.upsert([tolkien, document(title="Dune", author="Herbert")])

    assert ids(search_index, "tolkein") == [tolkien.listing_id]
    assert ids(search_index, "letetrs tolkien") == [tolkien.listing_id]


def test_search_tolerates_no_typo_below_five_letters(search_index):
    search_index.upsert([document(title="Dune")])

    assert ids(search_index, "dnue") == []


def test_search_tolerates_two_typos_from_nine_letters(search_index):
    book = document(title="Strangers on a Train", author="Highsmith")
    search_index.upsert([book])

    assert ids(search_index, "strnagres") == [book.listing_id]
    assert ids(search_index, "strnagr") == []  # 7 letters: one typo only


def test_search_ranks_exact_matches_before_typo_matches(search_index):
    typo = document(title="The Hobbits")
    exact = document(title="Hobbit")
    search_index.upsert([exact, typo])

    assert ids(search_index, "hobbit ")[:1] == [exact.listing_id]


def test_search_pages_past_the_exact_matches_into_misspelt_ones_by_relevance(search_index):
    exact = document(title="Letters", author="Tolkien")
    in_description = document(title="Maps", description="Drawn after Tolkein")
    in_title = document(title="Tolkein", description="A paperback")
    # Newest last, so relevance, not recency, orders the misspelt ones.
    search_index.upsert([exact, in_title, in_description])

    pages = [search_index.search(SearchQuery("tolkien", page=n, per_page=1)) for n in (1, 2, 3)]

    assert [page.total for page in pages] == [3, 3, 3]
    assert [[hit.document.listing_id for hit in page.hits] for page in pages] == [
        [exact.listing_id],
        [in_title.listing_id],
        [in_description.listing_id],
    ]


def test_search_filters_by_price_range_and_condition(search_index):
    cheap_poor = document(title="Dune", price_amount=300, condition="poor")
    mid_fine = document(title="Dune", price_amount=1500, condition="fine")
    dear_new = document(title="Dune", price_amount=9000, condition="as_new")
    search_index.upsert([cheap_poor, mid_fine, dear_new])

    assert set(ids(search_index, "dune", price_min=1000, price_max=9000)) == {
        mid_fine.listing_id,
        dear_new.listing_id,
    }
    assert set(ids(search_index, "dune", condition_at_least="fine")) == {
        mid_fine.listing_id,
        dear_new.listing_id,
    }
    assert ids(search_index, "dune", condition_at_least="as_new", price_max=5000) == []


def test_search_filters_by_shop_country_category_and_binding(search_index):
    a = document(title="Atlas", shop_id="a", shop_country="FR", categories=("Maps",))
    b = document(title="Atlas", shop_id="b", shop_country="GB", binding="hardcover")
    search_index.upsert([a, b])

    assert ids(search_index, "atlas", shops=("a",)) == [a.listing_id]
    assert ids(search_index, "atlas", countries=("GB",)) == [b.listing_id]
    assert ids(search_index, "atlas", categories=("Maps",)) == [a.listing_id]
    assert ids(search_index, "atlas", bindings=("hardcover",)) == [b.listing_id]
    assert set(ids(search_index, "", shops=("a", "b"))) == {a.listing_id, b.listing_id}


def test_search_counts_facets_over_the_filtered_hits(search_index):
    search_index.upsert(
        [
            document(title="Atlas", shop_id="a", shop_country="FR", condition="good",
                     categories=("Maps", "Travel"), binding="paperback"),
            document(title="Atlas", shop_id="a", shop_country="FR", condition="fine",
                     categories=("Maps",), binding="hardcover"),
            document(title="Atlas", shop_id="b", shop_country="GB", condition="good"),
            document(title="Dune", shop_id="c", shop_country="US", condition="poor"),
        ]
    )  # fmt: skip

    facets = search_index.search(SearchQuery("atlas", facets=FACETS)).facets
    filtered = search_index.search(SearchQuery("atlas", shops=("a",), facets=FACETS)).facets

    assert facets["shop"] == {"a": 2, "b": 1}
    assert facets["country"] == {"FR": 2, "GB": 1}
    assert facets["condition"] == {"good": 2, "fine": 1}
    assert facets["category"] == {"Maps": 2, "Travel": 1}
    assert facets["binding"] == {"paperback": 1, "hardcover": 1}
    assert filtered["condition"] == {"good": 1, "fine": 1}
    assert filtered["shop"] == {"a": 2}


@pytest.mark.parametrize(
    "sort, expected",
    [("price", ["cheap", "mid", "dear"]), ("landed_price", ["mid", "cheap", "dear"])],
)
def test_search_sorts_by_price_or_landed_price(search_index, sort, expected):
    books = {
        "cheap": document(
            title="Dune", price_amount=500, shipping=Shipping.two_zones(900, 1500, "EUR")
        ),
        "mid": document(
            title="Dune", price_amount=700, shipping=Shipping.two_zones(100, 900, "EUR")
        ),
        "dear": document(title="Dune", price_amount=2000),
    }
    search_index.upsert(list(books.values()))

    found = ids(search_index, "dune", sort=sort)

    assert found == [books[name].listing_id for name in expected]


def test_search_sorts_by_landed_price_to_the_shoppers_country(search_index):
    books = {
        # Cheap at home, dear abroad.
        "homely": document(
            title="Dune",
            shop_country="FR",
            price_amount=500,
            shipping=Shipping.two_zones(100, 2000, "EUR"),
        ),
        # Dear at home, cheap abroad.
        "exporter": document(
            title="Dune",
            shop_country="DE",
            price_amount=1500,
            shipping=Shipping.two_zones(900, 600, "EUR"),
        ),
        # Has not said what it charges: last for a shopper abroad.
        "silent": document(title="Dune", shop_country="FR", price_amount=200),
    }
    search_index.upsert(list(books.values()))
    foreign = {"countries": ("FR", "DE"), "sort": "landed_price"}

    abroad = ids(search_index, "dune", ship_to="GB", **foreign)
    at_home = ids(search_index, "dune", **foreign)

    assert abroad == [books[n].listing_id for n in ("exporter", "homely", "silent")]
    assert at_home == [books[n].listing_id for n in ("silent", "homely", "exporter")]


def test_search_sorts_newest_first(search_index):
    older, newer = document(title="Dune I"), document(title="Dune II")
    search_index.upsert([newer, older])

    assert ids(search_index, "dune", sort="newest") == [newer.listing_id, older.listing_id]


def test_search_highlights_a_corrected_word(search_index):
    search_index.upsert([document(title="Letters", author="Tolkien")])

    hit = search_index.search(SearchQuery("tolkein")).hits[0]

    assert hit.highlight.author == "<mark>Tolkien</mark>"


def test_offers_lists_every_copy_of_a_work_cheapest_first(search_index):
    dear = document(title="The Hobbit", isbn="0-261-10221-4", price_amount=2000)
    cheap = document(title="Hobbit, The", isbn="978-0-261-10221-7", price_amount=800)
    other = document(title="The Hobbit", isbn="978-0-00-000000-2")
    search_index.upsert([dear, cheap, other])

    offers = search_index.offers(cheap.work_id)

    assert dear.work_id == cheap.work_id == "isbn-9780261102217"
    assert [d.listing_id for d in offers] == [cheap.listing_id, dear.listing_id]
    assert search_index.offer_counts([cheap.work_id, other.work_id, "nothing"]) == {
        cheap.work_id: 2,
        other.work_id: 1,
    }


def test_works_without_isbn_group_by_title_and_author(search_index):
    one = document(title="The Old Man & the Sea", author="E. Hemingway")
    two = document(title="the old man and the sea", author="E Hemingway")
    search_index.upsert([one, two])

    assert one.work_id != two.work_id  # "&" and "and" are different words
    same = document(title="THE OLD MAN & THE SEA!", author="e. hemingway")
    search_index.upsert([same])
    assert same.work_id == one.work_id
    assert {d.listing_id for d in search_index.offers(one.work_id)} == {
        one.listing_id,
        same.listing_id,
    }
