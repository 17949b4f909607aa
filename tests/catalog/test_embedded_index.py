"""What only the embedded SQLite adapter promises: its file, its threads, its ranking cap."""

from __future__ import annotations

import threading

from services.catalog.search.embedded import EmbeddedSearchIndex
from services.catalog.search.port import SearchQuery
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


def test_fts5_match_quotes_every_word_and_prefixes_the_last():
    assert fts5_match('Tolkien "hob') == '"tolkien" "hob"*'
    assert fts5_match("AND OR (") == '"and" "or"*'
    assert fts5_match("  ()*^ ") is None


def test_terms_fold_case_and_accents():
    assert terms("Émile ÉDUCATION naïve") == ["emile", "education", "naive"]


def test_highlight_marks_whole_words_and_escapes_the_rest():
    assert highlight("<b>Émile</b> & emilia", ["emil"]) == (
        "&lt;b&gt;<mark>Émile</mark>&lt;/b&gt; &amp; <mark>emilia</mark>"
    )
    assert highlight("The Hobbit", []) == "The Hobbit"
