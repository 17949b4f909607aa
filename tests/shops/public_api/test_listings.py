"""The public API's listings: by SKU, in bulk once per Idempotency-Key, stock as deltas."""

from __future__ import annotations

import threading

import pytest

from services.shops.db import Listing, OutboxMessage
from tests.shops.public_api.conftest import item

pytestmark = pytest.mark.integration


def test_listing_by_sku_is_created_read_changed_and_deleted(shop_a):
    created = shop_a.call("POST", "/listings", json=item("A-1"))
    assert created.status_code == 201, created.get_json()
    assert shop_a.call("GET", "/listings/A-1").get_json()["title"] == "Book A-1"
    changed = shop_a.call("PATCH", "/listings/A-1", json={"price": {"amount": 900}})
    assert changed.get_json()["price"] == {"amount": 900, "currency": "EUR"}
    assert changed.get_json()["revision"] == 2
    assert shop_a.call("DELETE", "/listings/A-1").status_code == 204
    missing = shop_a.call("GET", "/listings/A-1")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_create_listing_needs_a_sku_and_says_which_fields_to_fix(shop_a):
    response = shop_a.call("POST", "/listings", json={"title": "x", "quantity": -1})
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["status"] == 422 and {"sku", "price"} <= set(problem["errors"])
    assert shop_a.shops.count(Listing) == 0


def test_listings_come_a_page_at_a_time_with_a_cursor(shop_a):
    shop_a.call("POST", "/listings/bulk", json={"listings": [item(f"S-{n}") for n in range(5)]})
    seen, cursor = [], ""
    while True:
        page = shop_a.call("GET", f"/listings?limit=2&cursor={cursor}").get_json()
        seen += [listing["sku"] for listing in page["listings"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [f"S-{n}" for n in range(5)]
    assert shop_a.call("GET", "/listings?cursor=nonsense").status_code == 400


def test_a_read_answers_304_to_the_etag_it_gave(shop_a):
    shop_a.call("POST", "/listings", json=item("A-1"))
    first = shop_a.call("GET", "/listings/A-1")
    etag = first.headers["ETag"]
    again = shop_a.call("GET", "/listings/A-1", headers={"If-None-Match": etag})
    assert again.status_code == 304
    shop_a.call("POST", "/listings/A-1/stock", json={"delta": 1})
    after_change = shop_a.call("GET", "/listings/A-1", headers={"If-None-Match": etag})
    assert after_change.status_code == 200 and after_change.headers["ETag"] != etag


def test_bulk_upsert_answers_per_item(shop_a):
    shop_a.call("POST", "/listings", json=item("OLD"))
    body = {
        "listings": [
            item("NEW"),
            item("OLD", quantity=7),
            item("BAD", price={"amount": 0}),
            {"title": "no sku"},
        ]
    }
    answer = shop_a.call("POST", "/listings/bulk", json=body).get_json()
    statuses = [(result["sku"], result["status"]) for result in answer["results"]]
    assert statuses == [
        ("NEW", "created"),
        ("OLD", "updated"),
        ("BAD", "rejected"),
        (None, "rejected"),
    ]
    assert "price.amount" in answer["results"][2]["errors"]
    assert (answer["created"], answer["updated"], answer["rejected"]) == (1, 1, 2)


def test_bulk_upsert_refuses_more_than_1000(shop_a):
    body = {"listings": [item(f"S-{n}") for n in range(1001)]}
    response = shop_a.call("POST", "/listings/bulk", json=body)
    assert response.status_code == 422
    assert shop_a.shops.count(Listing) == 0


def test_the_same_bulk_upsert_twice_with_one_key_changes_things_once(shop_a):
    body = {"listings": [item("A-1"), item("A-2")]}
    key = {"Idempotency-Key": "sync-2026-12-06-001"}
    first = shop_a.call("POST", "/listings/bulk", json=body, headers=key)
    events = shop_a.shops.count(OutboxMessage)
    # Changed by hand meanwhile: a replay must not write the listing back.
    shop_a.call("PATCH", "/listings/A-1", json={"quantity": 9})
    second = shop_a.call("POST", "/listings/bulk", json=body, headers=key)
    assert second.status_code == first.status_code == 200
    assert second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert shop_a.shops.count(OutboxMessage) == events + 1  # only the hand-made change
    assert shop_a.call("GET", "/listings/A-1").get_json()["quantity"] == 9
    assert shop_a.shops.get_listing_revisions(shop_a.shop["id"]) == {"A-1": 2, "A-2": 1}


def test_one_key_for_another_request_is_refused(shop_a):
    key = {"Idempotency-Key": "k-1"}
    shop_a.call("POST", "/listings/bulk", json={"listings": [item("A-1")]}, headers=key)
    other = shop_a.call("POST", "/listings/bulk", json={"listings": [item("A-2")]}, headers=key)
    assert other.status_code == 422
    assert shop_a.shops.count(Listing) == 1


def test_stock_delta_adds_and_takes(shop_a):
    shop_a.call("POST", "/listings", json=item("A-1", quantity=3))
    added = shop_a.call("POST", "/listings/A-1/stock", json={"delta": 2})
    assert added.get_json()["quantity"] == 5
    taken = shop_a.call("POST", "/listings/A-1/stock", json={"delta": -5})
    assert taken.get_json()["quantity"] == 0


def test_stock_delta_below_zero_is_refused_and_changes_nothing(shop_a):
    shop_a.call("POST", "/listings", json=item("A-1", quantity=3))
    events = shop_a.shops.count(OutboxMessage)
    response = shop_a.call("POST", "/listings/A-1/stock", json={"delta": -4})
    assert response.status_code == 409
    assert "below zero" in response.get_json()["detail"]
    listing = shop_a.call("GET", "/listings/A-1").get_json()
    assert (listing["quantity"], listing["revision"]) == (3, 1)
    assert shop_a.shops.count(OutboxMessage) == events


def test_stock_delta_with_a_key_is_applied_once(shop_a):
    shop_a.call("POST", "/listings", json=item("A-1", quantity=3))
    key = {"Idempotency-Key": "sale-991"}
    for _ in range(2):
        response = shop_a.call("POST", "/listings/A-1/stock", json={"delta": -1}, headers=key)
        assert response.get_json()["quantity"] == 2
    assert shop_a.call("GET", "/listings/A-1").get_json()["quantity"] == 2


def test_a_token_without_inventory_write_cannot_change_listings(shop_a):
    shop_a.call("POST", "/listings", json=item("A-1"))
    shop_a.token = shop_a.new_token(scopes=["inventory:read"])
    assert shop_a.call("GET", "/listings/A-1").status_code == 200
    assert shop_a.call("POST", "/listings/A-1/stock", json={"delta": 1}).status_code == 403
    assert shop_a.call("DELETE", "/listings/A-1").status_code == 403


def test_one_key_sent_twice_at_once_changes_things_once(shop_a):
    """Two attempts racing (a client that retried too soon): one applies, the other waits
    for it and answers the same."""
    body = {"listings": [item(f"R-{n}") for n in range(50)]}
    key = {"Idempotency-Key": "race-1"}
    events = shop_a.shops.count(OutboxMessage)
    answers = []

    def send() -> None:
        answers.append(shop_a.call("POST", "/listings/bulk", json=body, headers=key))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].get_json() == answers[1].get_json()
    assert answers[0].get_json()["created"] == 50
    assert set(shop_a.shops.get_listing_revisions(shop_a.shop["id"]).values()) == {1}
    assert shop_a.shops.count(OutboxMessage) == events + 1  # one batch announced, once
