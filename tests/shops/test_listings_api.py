"""Editing, removing, bulk changes, searching the inventory, and the public feed."""

from __future__ import annotations

import pytest

from services.shops.db import Listing, OutboxMessage
from tests.shops.conftest import make_seller

pytestmark = pytest.mark.integration


def url(shop: dict, listing: dict | None = None, suffix: str = "") -> str:
    base = f"/shops/{shop['id']}/listings"
    return (f"{base}/{listing['id']}" if listing else base) + suffix


def test_add_listing_keeps_every_detail(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(
        seller,
        shop["id"],
        isbn="0-15-144647-4",
        condition="very_good",
        publisher="Harcourt",
        year=1983,
        binding="Hardcover",
        condition_notes="Jacket chipped.",
        categories=["Fiction"],
        photos=["https://img.example/rose.jpg"],
    )
    assert (listing["isbn"], listing["condition"]) == ("9780151446476", "Very Good")
    event = shops.outbox("listing.upserted")[-1]
    assert (event["publisher"], event["year"], event["photos"]) == (
        "Harcourt",
        1983,
        ["https://img.example/rose.jpg"],
    )


def test_patch_listing_bumps_the_revision_and_announces_the_change(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"])

    response = shops.client.patch(
        url(shop, listing),
        json={"price": {"amount": 990}, "condition_notes": "Foxing on edges."},
        headers=seller.headers(),
    )

    body = response.get_json()
    assert response.status_code == 200, body
    assert (body["price"]["amount"], body["revision"]) == (990, 2)
    event = shops.outbox("listing.upserted")[-1]
    assert (event["revision"], event["condition_notes"]) == (2, "Foxing on edges.")


def test_patch_listing_with_the_same_values_changes_nothing(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"])
    before = shops.count(OutboxMessage)
    response = shops.client.patch(
        url(shop, listing), json={"condition": "GOOD", "quantity": 2}, headers=seller.headers()
    )
    assert response.get_json()["revision"] == 1
    assert shops.count(OutboxMessage) == before


def test_patch_listing_refuses_a_sku_another_listing_has(shops, seller):
    shop = shops.open_shop(seller)
    shops.add_listing(seller, shop["id"], sku="A-1")
    second = shops.add_listing(seller, shop["id"], sku="A-2")
    response = shops.client.patch(url(shop, second), json={"sku": "A-1"}, headers=seller.headers())
    assert response.status_code == 409
    assert shops.get(Listing, second["id"]).sku == "A-2"


def test_patch_listing_refuses_bad_values_and_writes_nothing(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"])
    response = shops.client.patch(
        url(shop, listing), json={"isbn": "0-15-144647-5", "quantity": -1}, headers=seller.headers()
    )
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"isbn", "quantity"}
    assert shops.get(Listing, listing["id"]).revision == 1


def test_delete_listing_removes_it_and_announces_a_later_revision(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"])

    response = shops.client.delete(url(shop, listing), headers=seller.headers())

    assert response.status_code == 204
    assert shops.get(Listing, listing["id"]) is None
    assert shops.outbox("listing.removed") == [
        {"listing_id": listing["id"], "shop_id": shop["id"], "revision": 2}
    ]
    assert shops.client.get(f"/listings/{listing['id']}").status_code == 404


def test_bulk_change_adjusts_every_listing_in_one_batch_event(shops, seller):
    shop = shops.open_shop(seller)
    cheap = shops.add_listing(seller, shop["id"], price={"amount": 1000}, quantity=1)
    dear = shops.add_listing(seller, shop["id"], price={"amount": 5000}, quantity=3)

    response = shops.client.post(
        url(shop, suffix="/bulk"),
        json={
            "listing_ids": [cheap["id"], dear["id"]],
            "adjust_price_percent": -10,
            "adjust_quantity": 2,
        },
        headers=seller.headers(),
    )

    assert response.status_code == 200, response.get_json()
    assert (
        shops.get(Listing, cheap["id"]).price_amount,
        shops.get(Listing, dear["id"]).quantity,
    ) == (900, 5)
    [batch] = shops.outbox("listing.batch_upserted")
    assert sorted(item["revision"] for item in batch["listings"]) == [2, 2]


def test_bulk_change_is_all_or_nothing(shops, seller):
    shop = shops.open_shop(seller)
    plenty = shops.add_listing(seller, shop["id"], quantity=5)
    last = shops.add_listing(seller, shop["id"], quantity=1)

    response = shops.client.post(
        url(shop, suffix="/bulk"),
        json={"listing_ids": [plenty["id"], last["id"]], "adjust_quantity": -2},
        headers=seller.headers(),
    )

    assert response.status_code == 422
    assert list(response.get_json()["fields"]) == [f"quantity.{last['id']}"]
    assert shops.get(Listing, plenty["id"]).quantity == 5


def test_bulk_change_of_another_shops_listing_is_404_and_changes_nothing(shops, seller):
    shop = shops.open_shop(seller)
    mine = shops.add_listing(seller, shop["id"])
    other = make_seller()
    theirs = shops.add_listing(other, shops.open_shop(other)["id"])
    response = shops.client.post(
        url(shop, suffix="/bulk"),
        json={"listing_ids": [mine["id"], theirs["id"]], "set_price": 100},
        headers=seller.headers(),
    )
    assert response.status_code == 404
    assert shops.get(Listing, mine["id"]).price_amount == 1250


def test_shop_listings_search_filter_sort_and_page(shops, seller):
    shop = shops.open_shop(seller)
    for title, sku, quantity, condition, amount in [
        ("Dune", "SF-1", 1, "good", 900),
        ("Dune Messiah", "SF-2", 0, "fine", 700),
        ("Emma", "CL-1", 2, "good", 500),
    ]:
        shops.add_listing(
            seller,
            shop["id"],
            title=title,
            sku=sku,
            quantity=quantity,
            condition=condition,
            price={"amount": amount},
            isbn=None,
        )

    def titles(query: str) -> tuple[list[str], int]:
        body = shops.client.get(url(shop) + query, headers=seller.headers()).get_json()
        return [listing["title"] for listing in body["listings"]], body["total"]

    assert titles("?q=dune&sort=title") == (["Dune", "Dune Messiah"], 2)
    assert titles("?q=cl-&sort=title") == (["Emma"], 1)
    assert titles("?in_stock=true&sort=-price") == (["Dune", "Emma"], 2)
    assert titles("?condition=GOOD&sort=price") == (["Emma", "Dune"], 2)
    assert titles("?sort=quantity&per_page=1&page=2") == (["Dune"], 3)
    bad = shops.client.get(url(shop) + "?sort=colour", headers=seller.headers())
    assert bad.status_code == 422


def test_shop_listings_finds_a_listing_by_any_form_of_its_isbn(shops, seller):
    shop = shops.open_shop(seller)
    shops.add_listing(seller, shop["id"], isbn="978-0-15-144647-6")
    body = shops.client.get(url(shop) + "?q=0-15-144647-4", headers=seller.headers()).get_json()
    assert body["total"] == 1


def test_listing_feed_pages_through_every_shop_in_id_order(shops, seller):
    ids = []
    for name in ("One", "Two"):
        owner = make_seller(name)
        shop = shops.open_shop(owner, name=name)
        ids += [shops.add_listing(owner, shop["id"])["id"] for _ in range(3)]

    first = shops.client.get("/listings?limit=4").get_json()
    rest = shops.client.get(f"/listings?after={first['next_after']}&limit=4").get_json()

    seen = [item["id"] for item in first["listings"] + rest["listings"]]
    assert seen == sorted(ids)
    assert rest["next_after"] is None
    assert {"shop_id", "revision", "quantity", "title", "price"} <= set(first["listings"][0])
    assert shops.client.get("/listings?limit=1001").status_code == 422
