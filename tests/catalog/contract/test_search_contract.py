"""Contract tests of the SearchIndex port: every adapter must behave like this."""

from __future__ import annotations

import pytest

from services.catalog.search.port import SearchIndex, SearchQuery
from tests.catalog.factories import document


def ids(index: SearchIndex, text: str = "", **options) -> list[str]:
    return [hit.document.listing_id for hit in index.search(SearchQuery(text, **options)).hits]


def test_search_ranks_title_match_above_description_match(search_index):
    in_description = document(title="Maps of Middle-earth", description="Drawn for the hobbit")
    in_author = document(title="Collected Letters", author="Hobbit Society")
    in_title = document(title="The Hobbit", description="A paperback")
    search_index.upsert([in_description, in_author, in_title])

    assert ids(search_index, "hobbit") == [
        in_title.listing_id,
        in_author.listing_id,
        in_description.listing_id,
    ]


def test_search_ranks_a_short_prefix_by_the_field_it_matches(search_index):
    in_title = document(title="Dragons of Autumn")
    in_author = document(title="Collected Letters", author="Drake Mallory")
    in_description = document(title="Atlas", description="Drawn by hand, dragons everywhere")
    # Newest last, so the field, not recency, orders them.
    search_index.upsert([in_title, in_author, in_description])
    expected = [in_title.listing_id, in_author.listing_id, in_description.listing_id]

    assert ids(search_index, "dra") == expected
    assert [ids(search_index, "Dra", page=n, per_page=1) for n in (1, 2, 3)] == [
        [listing_id] for listing_id in expected
    ]


def test_search_matches_last_word_as_prefix(search_index):
    hobbit = document(title="The Hobbit")
    search_index.upsert([hobbit, document(title="Dune")])

    assert ids(search_index, "hob") == [hobbit.listing_id]
    assert ids(search_index, "the hob") == [hobbit.listing_id]


def test_search_matches_a_whole_last_word_and_the_longer_words_it_begins(search_index):
    word = document(title="Hobbit")
    longer = document(title="Maps", description="Drawn by hobbitses")
    other = document(title="Dune", description="Sandworms")
    search_index.upsert([word, longer, other])

    assert set(ids(search_index, "hobbit")) == {word.listing_id, longer.listing_id}
    assert ids(search_index, "sandworms") == [other.listing_id]
    assert ids(search_index, "maps hobbitses") == [longer.listing_id]


def test_search_ranks_a_whole_word_before_the_longer_words_it_begins(search_index):
    word = document(title="Berber Rugs")
    longer = document(title="Berberis Hedges")
    # Newest last, so exactness, not recency, orders them.
    search_index.upsert([word, longer])

    assert ids(search_index, "berber") == [word.listing_id, longer.listing_id]
    assert set(ids(search_index, "berbe")) == {word.listing_id, longer.listing_id}


def test_search_requires_every_word(search_index):
    both = document(title="The Hobbit", author="Tolkien")
    only_title = document(title="The Hobbit", author="Someone Else")
    search_index.upsert([both, only_title])

    assert ids(search_index, "hobbit tolkien") == [both.listing_id]
    assert ids(search_index, "hobbit dragons") == []


def test_search_ignores_case_and_accents(search_index):
    emile = document(title="Émile, ou De l'éducation")
    search_index.upsert([emile])

    assert ids(search_index, "EMILE education") == [emile.listing_id]


def test_search_finds_isbn_with_or_without_dashes(search_index):
    book = document(title="The Hobbit", isbn="978-0-261-10221-7")
    search_index.upsert([book, document(title="Dune", isbn="978-0-441-17271-9")])

    assert ids(search_index, "9780261102217") == [book.listing_id]


def test_search_highlights_matches_and_escapes_html(search_index):
    search_index.upsert(
        [document(title="<script>alert('x')</script> Hobbit & Co", author="Tolkien <b>")]
    )

    hit = search_index.search(SearchQuery("hobbit tolk")).hits[0]

    assert hit.highlight.title == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; <mark>Hobbit</mark> &amp; Co"
    )
    assert hit.highlight.author == "<mark>Tolkien</mark> &lt;b&gt;"
    assert hit.document.title == "<script>alert('x')</script> Hobbit & Co"


def test_search_without_text_lists_newest_first(search_index):
    older, newer = document(title="Older"), document(title="Newer")
    search_index.upsert([newer, older])

    results = search_index.search(SearchQuery(""))

    assert [hit.document.listing_id for hit in results.hits] == [
        newer.listing_id,
        older.listing_id,
    ]
    assert results.hits[0].highlight.title == "Newer"


def test_search_paginates_with_total(search_index):
    books = [document(title=f"Hobbit volume {n}") for n in range(5)]
    search_index.upsert(books)
    search_index.upsert([document(title="Dune")])

    first = search_index.search(SearchQuery("hobbit", page=1, per_page=2))
    last = search_index.search(SearchQuery("hobbit", page=3, per_page=2))
    beyond = search_index.search(SearchQuery("hobbit", page=4, per_page=2))

    assert (first.total, len(first.hits), first.page, first.per_page) == (5, 2, 1, 2)
    assert (last.total, len(last.hits)) == (5, 1)
    assert (beyond.total, beyond.hits) == (5, [])
    seen = {
        hit.document.listing_id
        for page in (1, 2, 3)
        for hit in search_index.search(SearchQuery("hobbit", page=page, per_page=2)).hits
    }
    assert seen == {book.listing_id for book in books}


@pytest.mark.parametrize(
    "text",
    [
        '"foo',
        "AND OR (",
        "NOT",
        "NEAR(a b)",
        "title:hobbit",
        "hob*",
        "^",
        "'",
        "-",
        "()",
        "\\",
        "a" * 500,
        "x " * 200,
        "\x00",
        "\ue000hobbit\ue001",
        "🙂 hobbit",
        "C++ & <b>",
        "%_",
    ],
)
def test_search_never_fails_on_odd_text(search_index, text):
    search_index.upsert([document(title="The Hobbit")])

    results = search_index.search(SearchQuery(text))

    assert results.total == len(results.hits)


def test_upsert_replaces_document_by_listing_id(search_index):
    original = document(title="The Hobbit")
    search_index.upsert([original])
    search_index.upsert([original])
    search_index.upsert([document(listing_id=original.listing_id, title="Dune")])

    assert ids(search_index, "hobbit") == []
    assert ids(search_index, "dune") == [original.listing_id]
    assert search_index.search(SearchQuery("")).total == 1


def test_remove_takes_document_out_of_search(search_index):
    kept, removed = document(title="The Hobbit"), document(title="The Hobbit, second copy")
    search_index.upsert([kept, removed])

    search_index.remove([removed.listing_id, "never-indexed"])

    assert ids(search_index, "hobbit") == [kept.listing_id]
    assert search_index.get(removed.listing_id) is None


def test_get_returns_the_indexed_document(search_index):
    book = document(title="The Hobbit", author="Tolkien", price_amount=1250)
    search_index.upsert([book])

    assert search_index.get(book.listing_id) == book
    assert search_index.get("unknown") is None


@pytest.mark.parametrize("page, per_page", [(0, 20), (1, 0), (1, 101)])
def test_search_query_refuses_out_of_range_pages(page, per_page):
    with pytest.raises(ValueError):
        SearchQuery("x", page=page, per_page=per_page)


def test_search_sorts_by_reputation_best_average_then_more_reviews(search_index):
    unrated = document(title="Hobbit, unrated shop")
    few = document(title="Hobbit, few reviews", shop_rating=4.5, shop_reviews=2)
    many = document(title="Hobbit, many reviews", shop_rating=4.5, shop_reviews=40)
    best = document(title="Hobbit, best shop", shop_rating=4.9, shop_reviews=3)
    poor = document(title="Hobbit, poor shop", shop_rating=2.0, shop_reviews=9)
    search_index.upsert([unrated, few, many, best, poor])

    expected = [best, many, few, poor, unrated]
    assert ids(search_index, "hobbit", sort="reputation") == [d.listing_id for d in expected]
    assert ids(search_index, "", sort="reputation") == [d.listing_id for d in expected]


def test_search_filters_by_minimum_shop_rating(search_index):
    unrated = document(title="Hobbit, unrated shop")
    good = document(title="Hobbit, good shop", shop_rating=4.0, shop_reviews=5)
    poor = document(title="Hobbit, poor shop", shop_rating=3.9, shop_reviews=5)
    search_index.upsert([unrated, good, poor])

    assert ids(search_index, "hobbit", rating_at_least=4) == [good.listing_id]
    assert set(ids(search_index, "", rating_at_least=3.5)) == {good.listing_id, poor.listing_id}
    assert search_index.get(good.listing_id).shop_rating == 4.0


@pytest.mark.parametrize("minimum", [-1, 5.5])
def test_search_query_refuses_a_rating_outside_zero_to_five(minimum):
    with pytest.raises(ValueError):
        SearchQuery("x", rating_at_least=minimum)
