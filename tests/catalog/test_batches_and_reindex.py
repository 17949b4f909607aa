"""Batched upserts from bulk uploads, shop revisions, and the rebuild from the shops feed."""

from __future__ import annotations

from datetime import timedelta

from services.catalog.reindex import as_event, feed, rebuild
from services.common.contracts import ListingsUpserted, Money, ShippingRates
from tests.catalog.factories import later, listing_removed, listing_upserted, shop_updated


def rates(domestic: int = 300, international: int = 900) -> ShippingRates:
    return ShippingRates(
        domestic_first=Money(amount=domestic, currency="EUR"),
        domestic_additional=Money(amount=100, currency="EUR"),
        international_first=Money(amount=international, currency="EUR"),
        international_additional=Money(amount=200, currency="EUR"),
    )


def test_listings_upserted_indexes_a_batch_in_one_write(catalog, monkeypatch):
    index = catalog.runtime.search_index
    writes: list[int] = []
    original = index.upsert
    monkeypatch.setattr(index, "upsert", lambda docs: (writes.append(len(docs)), original(docs)))
    batch = [listing_upserted(title=f"Hobbit {n}") for n in range(50)]

    catalog.deliver(ListingsUpserted(shop_id="shop-1", listings=batch))

    assert catalog.search("hobbit")["total"] == 50
    assert writes == [50]


def test_listings_upserted_skips_stale_revisions_and_hides_sold_out(catalog):
    newer = listing_upserted(title="Signed Hobbit", revision=3)
    catalog.deliver(newer)
    sold_out = listing_upserted(title="Hobbit sold out", quantity=0)
    batch = [newer.model_copy(update={"title": "Old Hobbit", "revision": 2}), sold_out]

    catalog.deliver(ListingsUpserted(shop_id="shop-1", listings=batch))
    catalog.deliver(ListingsUpserted(shop_id="shop-1", listings=batch))

    assert catalog.titles("hobbit") == ["Signed Hobbit"]


def test_shop_updated_with_a_lower_revision_is_ignored(catalog):
    catalog.deliver(listing_upserted(title="The Hobbit"))
    now = later()
    catalog.deliver(shop_updated(name="Second", revision=2), occurred_at=now - timedelta(1))
    catalog.deliver(shop_updated(name="First", revision=1), occurred_at=now)

    assert catalog.search()["hits"][0]["shop_name"] == "Second"


def test_offers_ship_to_a_country_and_list_cheapest_total_first(catalog):
    catalog.deliver(shop_updated(shop_id="gb", name="London Books", country="GB",
                                 shipping=rates(300, 1500)))  # fmt: skip
    catalog.deliver(shop_updated(shop_id="fr", name="Paris Livres", country="FR",
                                 shipping=rates(200, 400)))  # fmt: skip
    london = listing_upserted(shop_id="gb", price=Money(amount=1000, currency="EUR"),
                              condition="Very Good")  # fmt: skip
    paris = listing_upserted(shop_id="fr", price=Money(amount=1200, currency="EUR"),
                             isbn="0261102214", condition="Fair")  # fmt: skip
    catalog.deliver(london)
    catalog.deliver(paris)
    work_id = catalog.search("hobbit")["hits"][0]["work_id"]

    to_gb = catalog.client.get(f"/works/{work_id}/offers", query_string={"country": "gb"})
    to_de = catalog.client.get(f"/works/{work_id}/offers?country=DE&condition_at_least=good")
    work = catalog.client.get(f"/works/{work_id}").get_json()

    assert [(o["shop_name"], o["shipping"]["amount"], o["total"]["amount"])
            for o in to_gb.get_json()["offers"]] == [("London Books", 300, 1300),
                                                     ("Paris Livres", 400, 1600)]  # fmt: skip
    only = [(o["listing_id"], o["total"]["amount"], o["condition"])
            for o in to_de.get_json()["offers"]]  # fmt: skip
    assert only == [(london.listing_id, 2500, "very_good")]
    assert (work["offers_count"], work["lowest_price"]["amount"]) == (2, 1000)
    assert catalog.search("hobbit")["hits"][0]["offers_count"] == 2


def test_offers_refuse_a_bad_country_or_condition(catalog):
    catalog.deliver(listing_upserted())
    work_id = catalog.search("hobbit")["hits"][0]["work_id"]

    bad_country = catalog.client.get(f"/works/{work_id}/offers?country=Narnia")
    bad_condition = catalog.client.get(f"/works/{work_id}/offers?condition_at_least=shiny")
    unknown = catalog.client.get("/works/isbn-0000000000000")

    assert (bad_country.status_code, bad_condition.status_code, unknown.status_code) == (
        422, 422, 404)  # fmt: skip
    assert "condition_at_least" in bad_condition.get_json()["fields"]


def test_search_filters_sorts_and_counts_facets_over_http(catalog):
    catalog.deliver(shop_updated(shop_id="fr", country="FR", shipping=rates(100, 500)))
    catalog.deliver(listing_upserted(shop_id="fr", condition="Fine", binding="Hardcover",
                                     categories=["Fantasy"]))  # fmt: skip
    catalog.deliver(listing_upserted(shop_id="gb", condition="Poor",
                                     price=Money(amount=100, currency="EUR")))  # fmt: skip

    body = catalog.search("hobbit", condition_at_least="good", sort="landed_price")
    cheap_first = catalog.search("hobbit", sort="price", country=["FR", "GB"])

    assert body["total"] == 1
    assert body["facets"]["binding"] == {"hardcover": 1}
    assert body["facets"]["category"] == {"Fantasy": 1}
    assert [h["price"]["amount"] for h in cheap_first["hits"]] == [1250]  # gb has no country
    bad = catalog.client.get("/search?sort=cheapest&price_min=9&price_max=1")
    assert bad.status_code == 422
    assert {"sort"} <= set(bad.get_json()["fields"])


def test_search_suggests_a_spelling_when_nothing_matches(catalog):
    catalog.deliver(listing_upserted(title="Dune", author="Frank Herbert"))

    body = catalog.search("hrebert dnue")

    assert (body["total"], body["suggestions"]) == (0, ["herbert dune"])


class FakeShops:
    """The shops feed as JSON pages, served through a `get` like requests'."""

    def __init__(self, items: list[dict]) -> None:
        self.items = sorted(items, key=lambda item: item["id"])

    def get(self, url: str, *, params: dict, timeout: float):
        after, limit = params["after"], params["limit"]
        page = [item for item in self.items if item["id"] > after][:limit]
        body = {"listings": page, "next_after": page[-1]["id"] if len(page) == limit else None}
        return type("Response", (), {"json": lambda _: body, "raise_for_status": lambda _: None})()


def feed_item(**fields) -> dict:
    event = listing_upserted(**fields).model_dump(mode="json")
    return {"id": event.pop("listing_id"), **event, "shop": {"id": event["shop_id"]}}


def test_rebuild_fills_a_new_index_from_the_feed_and_swaps_it_in(catalog):
    runtime = catalog.runtime
    stale = listing_upserted(title="Gone from the shop")
    catalog.deliver(stale)
    newer = listing_upserted(title="Hobbit, newest", revision=5)
    catalog.deliver(newer)
    items = [feed_item(title=f"Dune {n}") for n in range(5)]
    items.append(feed_item(listing_id=newer.listing_id, title="Hobbit, older", revision=4))
    items.append(feed_item(title="No stock", quantity=0))
    catalog.deliver(shop_updated(shop_id="away", on_vacation=True))
    items.append(feed_item(title="Away", shop_id="away"))

    written = rebuild(
        runtime.session_factory,
        runtime.search_index,
        feed("http://shops", page=2, http=FakeShops(items)),
        settle_s=0,
    )

    assert written == 8
    assert sorted(catalog.titles()) == ["Dune 0", "Dune 1", "Dune 2", "Dune 3", "Dune 4",
                                        "Hobbit, newest"]  # fmt: skip
    catalog.deliver(listing_removed(newer, revision=6))
    assert "Hobbit, newest" not in catalog.titles()


def test_as_event_reads_a_feed_item():
    item = feed_item(title="Dune", categories=["SF"])

    assert as_event(item).title == "Dune"
    assert as_event(item).listing_id == item["id"]
