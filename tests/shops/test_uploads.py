"""Inventory files: stored, applied in chunks by SKU, bad rows reported, nothing lost."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from services.shops.db import Listing, OutboxMessage, UploadChunk
from services.shops.events import listing_upserted
from services.shops.uploads.processor import UploadProcessor

pytestmark = pytest.mark.integration

FILE = (
    "sku,title,author,isbn,publisher,pubyear,binding,condition,description,price,quantity,Colour\n"
    "A-1,Dune,Frank Herbert,0-441-01359-7,Ace,1965,Paperback,very good,Sound copy.,9.00,2,red\n"
    "A-2,Emma,Jane Austen,,,,,Good,,abc,1,\n"
    "A-3,Ulysses,James Joyce,978-0-441-01359-4,,,,Fine,,25,1,\n"
    "\n"
    'A-4,"Moby Dick\nor, The Whale",Herman Melville,,,,,Fair,,12.5,,\n'
    ",No SKU,,,,,,,,3,1,\n"
)


def test_upload_applies_valid_rows_and_reports_each_bad_one(shops, seller):
    shop = shops.open_shop(seller)

    job = shops.upload(seller, shop["id"], FILE)

    assert job["status"] == "done", job
    assert (job["rows_total"], job["rows_done"], job["rows_created"], job["rows_rejected"]) == (
        5,
        5,
        2,
        3,
    )
    assert job["errors"] == [
        {"line": 3, "field": "price", "reason": "'abc' is not a price; write it like 12.50"},
        {
            "line": 4,
            "field": "isbn",
            "reason": "the ISBN-13's check digit does not match; look for a typo",
        },
        {
            "line": 8,
            "field": "sku",
            "reason": "every row needs a SKU: rows are matched to listings by it",
        },
    ]
    assert job["unknown_columns"] == ["Colour"]
    listings = shops.client.get(
        f"/shops/{shop['id']}/listings?sort=title", headers=seller.headers()
    ).get_json()["listings"]
    dune, moby = listings
    assert (dune["isbn"], dune["condition"], dune["year"], dune["price"]["amount"]) == (
        "9780441013593",
        "Very Good",
        1965,
        900,
    )
    assert (moby["title"], moby["quantity"]) == ("Moby Dick\nor, The Whale", 1)
    [batch] = shops.outbox("listing.batch_upserted")
    assert sorted(item["sku"] for item in batch["listings"]) == ["A-1", "A-4"]
    assert shops.count(UploadChunk) == 0  # the stored file is dropped once applied


def test_upload_announces_each_listing_as_it_was_stored(shops, seller):
    shop = shops.open_shop(seller)
    shops.upload(seller, shop["id"], FILE)
    shops.upload(seller, shop["id"], FILE.replace("9.00,2", "8.00,5"))

    with shops.runtime.session_factory() as session:
        stored = {
            # Uploaded photos are not in the file: its events say nothing of them (None).
            listing.sku: listing_upserted(listing).model_dump(mode="json") | {"images": None}
            for listing in session.scalars(select(Listing))
        }
    # The first upload created, the second changed A-1 only.
    created, updated = shops.outbox("listing.batch_upserted")
    assert [item["sku"] for item in created["listings"]] == ["A-1", "A-4"]
    assert created["listings"][1] == stored["A-4"]
    assert updated["listings"] == [stored["A-1"]]
    assert (stored["A-1"]["revision"], stored["A-1"]["created_at"]) == (
        2,
        created["listings"][0]["created_at"],
    )


def test_upload_stores_and_announces_categories_and_photos(shops, seller):
    shop = shops.open_shop(seller)
    text = (
        "sku,title,price,categories,photos\n"
        "C-1,Emma,4.50,Fiction; Classics,https://img.example/a.jpg https://img.example/b.jpg\n"
        "C-2,Dune,5.00,,\n"
    )

    shops.upload(seller, shop["id"], text)

    with shops.runtime.session_factory() as session:
        stored = {
            listing.sku: (listing.categories, listing.photos)
            for listing in session.scalars(select(Listing))
        }
    assert stored == {
        "C-1": (
            ["Fiction", "Classics"],
            ["https://img.example/a.jpg", "https://img.example/b.jpg"],
        ),
        "C-2": ([], []),
    }
    [batch] = shops.outbox("listing.batch_upserted")
    assert [(item["categories"], item["photos"]) for item in batch["listings"]] == [
        stored["C-1"],
        stored["C-2"],
    ]
    assert shops.upload(seller, shop["id"], text)["rows_unchanged"] == 2


def test_upload_of_the_same_file_twice_changes_nothing(shops, seller):
    shop = shops.open_shop(seller)
    shops.upload(seller, shop["id"], FILE)
    before = (shops.count(OutboxMessage), shops.get_listing_revisions(shop["id"]))

    job = shops.upload(seller, shop["id"], FILE)

    assert (job["rows_unchanged"], job["rows_created"], job["rows_updated"]) == (2, 0, 0)
    assert (shops.count(OutboxMessage), shops.get_listing_revisions(shop["id"])) == before


def test_upload_updates_changed_rows_by_sku(shops, seller):
    shop = shops.open_shop(seller)
    shops.upload(seller, shop["id"], FILE)

    job = shops.upload(seller, shop["id"], FILE.replace("9.00,2", "8.00,5"))

    assert (job["rows_updated"], job["rows_unchanged"]) == (1, 1)
    event = shops.outbox("listing.batch_upserted")[-1]["listings"]
    assert [(e["sku"], e["revision"], e["quantity"]) for e in event] == [("A-1", 2, 5)]


def test_upload_reads_tab_delimited_abebooks_files_sent_as_a_form(shops, seller):
    shop = shops.open_shop(seller)
    text = "ListingID\tTitle\tBookCondition\tPrice\tQuantity\nAB1\tEmma\tFINE\t4.50\t1\n"
    response = shops.client.post(
        f"/shops/{shop['id']}/uploads",
        data={"file": (io.BytesIO(text.encode()), "abebooks.txt")},
        headers=seller.headers(),
    )
    assert response.status_code == 202
    shops.process_uploads()
    [listing] = shops.client.get(
        f"/shops/{shop['id']}/listings", headers=seller.headers()
    ).get_json()["listings"]
    assert (listing["sku"], listing["condition"], listing["price"]["amount"]) == (
        "AB1",
        "Fine",
        450,
    )


def test_upload_without_the_columns_it_needs_fails_and_says_which(shops, seller):
    shop = shops.open_shop(seller)
    job = shops.upload(seller, shop["id"], "name,cost\nEmma,3\n")
    assert job["status"] == "failed"
    assert "sku, title, price" in job["failure"]
    assert shops.count(Listing) == 0


def test_upload_of_an_empty_file_is_refused(shops, seller):
    shop = shops.open_shop(seller)
    response = shops.client.post(
        f"/shops/{shop['id']}/uploads",
        data=b"",
        headers=seller.headers(),
        content_type="text/csv",
    )
    assert response.status_code == 422


def test_upload_goes_on_where_a_restarted_worker_left_it(shops, seller):
    shop = shops.open_shop(seller)
    rows = "".join(f"S-{n},Book {n},{n + 1}.00,1\n" for n in range(7))
    response = shops.client.post(
        f"/shops/{shop['id']}/uploads",
        data=("sku,title,price,quantity\n" + rows).encode(),
        headers=seller.headers(),
        content_type="text/csv",
    )
    job_url = f"/shops/{shop['id']}/uploads/{response.get_json()['id']}"
    first = UploadProcessor(shops.runtime.session_factory, chunk_rows=3)
    first.step()  # reads the header and counts the rows
    first.step()  # applies rows 1-3, then the worker "dies"

    assert shops.client.get(job_url, headers=seller.headers()).get_json()["rows_done"] == 3
    shops.process_uploads(chunk_rows=3)

    job = shops.client.get(job_url, headers=seller.headers()).get_json()
    assert (job["status"], job["rows_done"], job["rows_created"]) == ("done", 7, 7)
    batches = shops.outbox("listing.batch_upserted")
    assert [len(batch["listings"]) for batch in batches] == [3, 3, 1]


def test_export_uploaded_back_changes_nothing(shops, seller):
    shop = shops.open_shop(seller)
    shops.upload(seller, shop["id"], FILE)
    shops.client.patch(
        f"/shops/{shop['id']}/listings/"
        + shops.client.get(f"/shops/{shop['id']}/listings", headers=seller.headers()).get_json()[
            "listings"
        ][0]["id"],
        json={
            "categories": ["Fiction", "Classics"],
            "photos": ["https://img.example/a.jpg"],
            "condition_notes": 'Spine, "sunned"; name on flyleaf.',
        },
        headers=seller.headers(),
    )
    export = shops.client.get(f"/shops/{shop['id']}/export/inventory.csv", headers=seller.headers())
    assert export.status_code == 200
    assert export.mimetype == "text/csv"
    before = (shops.count(OutboxMessage), shops.get_listing_revisions(shop["id"]))

    job = shops.upload(seller, shop["id"], export.get_data(as_text=True))

    assert (job["rows_unchanged"], job["rows_rejected"], job["unknown_columns"]) == (2, 0, [])
    assert (shops.count(OutboxMessage), shops.get_listing_revisions(shop["id"])) == before
