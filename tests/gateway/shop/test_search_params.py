"""Reading a search from its URL and showing the catalog's facets: no services needed."""

from __future__ import annotations

from gateway.pages.search import active_filters, facet_groups, read_search, suggestions


def test_read_search_sends_prices_in_minor_units_and_keeps_them_as_typed():
    wanted = read_search({"q": " gaskell ", "price_min": "5", "price_max": "12,50"})

    assert wanted.query == "gaskell"
    assert wanted.filters == {"price_min": 500, "price_max": 1250}
    assert wanted.kept == {"price_min": "5", "price_max": "12,50"}
    assert wanted.errors == {}


def test_read_search_bad_price_is_a_message_not_a_filter():
    wanted = read_search({"price_min": "cheap", "price_max": "-3"})

    assert wanted.filters == {}
    assert wanted.errors["price_min"] == "Enter the lowest price as a number, such as 5 or 12.50."
    assert "highest price" in wanted.errors["price_max"]


def test_read_search_max_below_min_is_refused():
    wanted = read_search({"price_min": "20", "price_max": "10"})

    assert wanted.filters == {"price_min": 2000}
    assert wanted.errors == {"price_max": "The highest price is below the lowest one."}


def test_read_search_unknown_condition_and_sort_are_messages():
    wanted = read_search({"condition_at_least": "mint", "sort": "random"})

    assert wanted.filters == {}
    assert set(wanted.errors) == {"condition_at_least", "sort"}


def test_read_search_landed_price_ships_to_the_shoppers_country():
    wanted = read_search({"sort": "landed_price"}, country="FR")

    assert wanted.filters == {"sort": "landed_price", "ship_to": "FR"}


def test_url_args_changes_one_parameter_and_keeps_the_rest():
    wanted = read_search({"q": "dune", "shop": "s1", "binding": "paperback", "page": "3"})

    assert wanted.page == 3
    assert wanted.url_args(shop=None) == {"q": "dune", "binding": "paperback"}
    assert wanted.url_args(category="sf") == {
        "q": "dune",
        "shop": "s1",
        "binding": "paperback",
        "category": "sf",
    }


def test_facet_groups_reads_both_shapes_and_toggles_the_active_value():
    wanted = read_search({"q": "dune", "condition": "good"})
    raw = {
        "condition": {"good": 2, "fine": 5},
        "shop": [{"value": "s1", "count": 3}, {"value": "s2", "count": 1, "label": "Kofi's"}],
        "unknown": {"x": 1},
    }

    groups = facet_groups(raw, wanted, shop_names={"s1": "Mara's Books"})

    condition, shop = groups
    assert [(v.label, v.count) for v in condition.values] == [("Fine", 5), ("Good", 2)]
    fine, good = condition.values
    assert fine.args == {"q": "dune", "condition": "fine"} and not fine.active
    assert good.active and good.args == {"q": "dune"}
    assert [v.label for v in shop.values] == ["Mara's Books", "Kofi's"]


def test_suggestions_accepts_a_string_or_a_list():
    assert suggestions({"did_you_mean": "gaskell"}) == ["gaskell"]
    assert suggestions({"suggestions": [{"query": "dune"}, "dune", "dunes"]}) == ["dune", "dunes"]
    assert suggestions({}) == []


def test_read_search_sends_the_shoppers_country_for_every_order():
    # Each card's price with shipping counts the rate to the shopper's country.
    assert read_search({"q": "dune"}, country="FR").filters == {"ship_to": "FR"}
    assert read_search({"q": "dune"}).filters == {}


def test_active_filters_read_as_words_not_codes():
    wanted = read_search(
        {
            "q": "gaskell",
            "country": "IE",
            "sort": "landed_price",
            "shop": "s1",
            "condition_at_least": "very_good",
            "binding": "hardcover",
            "in_stock": "1",
            "price_max": "20",
        }
    )

    chips = active_filters(wanted, shop_names={"s1": "Harbour Lane Books"})

    labels = [chip.label for chip in chips]
    assert "Ships from Ireland" in labels
    assert "Sorted by price with shipping" in labels
    assert "From Harbour Lane Books" in labels
    assert "Very good or better" in labels
    assert "Hardcover" in labels
    assert "In stock only" in labels
    assert "Price up to 20" in labels
    assert not any("_" in label or "IE" in label for label in labels)
    # Each chip's link is the same search without it.
    by_label = {chip.label: chip.args for chip in chips}
    assert "country" not in by_label["Ships from Ireland"]
    assert by_label["Ships from Ireland"]["sort"] == "landed_price"
