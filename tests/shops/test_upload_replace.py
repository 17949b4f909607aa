"""Purge and replace: a whole-inventory file withdraws what it does not name, once the
seller has seen how many and said yes."""

from __future__ import annotations

import pytest

from services.shops.db import Listing

pytestmark = pytest.mark.integration

WHOLE = "sku,title,price,quantity\nA-1,Dune,9.00,2\nA-2,Emma,abc,1\nA-4,Ulysses,25.00,1\n"


def send(shops, seller, shop_id: str, text: str, **params: str):
    return shops.client.post(
        f"/shops/{shop_id}/uploads",
        query_string={"filename": "all.csv", **params},
        data=text.encode(),
        headers=seller.headers(),
        content_type="text/csv",
    )


def job_of(shops, seller, shop_id: str, job_id: str) -> dict:
    return shops.client.get(f"/shops/{shop_id}/uploads/{job_id}", headers=seller.headers()).json


@pytest.fixture
def stocked(shops, seller):
    shop = shops.open_shop(seller)
    for sku in ("A-1", "A-2", "A-3"):
        shops.add_listing(seller, shop["id"], sku=sku, title=f"Book {sku}")
    shops.add_listing(seller, shop["id"], title="No SKU given")  # gets a stable one
    return shop


def test_a_whole_inventory_upload_previews_waits_and_withdraws_the_rest(shops, seller, stocked):
    sent = send(shops, seller, stocked["id"], WHOLE, replace="1")

    assert sent.status_code == 202, sent.json
    job = sent.json
    # A-3 and the listing without a SKU of its own are not in the file; A-2's row is
    # refused (bad price) but names a listing the shop still has.
    assert (job["replace_all"], job["to_withdraw"], job["awaiting_confirmation"]) == (
        True,
        2,
        True,
    )
    shops.process_uploads()
    assert job_of(shops, seller, stocked["id"], job["id"])["status"] == "queued"
    assert shops.count(Listing) == 4  # nothing changes before the seller says yes

    confirmed = shops.client.post(
        f"/shops/{stocked['id']}/uploads/{job['id']}/confirm", headers=seller.headers()
    )
    shops.process_uploads()

    assert confirmed.status_code == 200, confirmed.json
    done = job_of(shops, seller, stocked["id"], job["id"])
    assert (done["status"], done["rows_withdrawn"], done["rows_created"]) == ("done", 2, 1)
    assert sorted(shops.get_listing_revisions(stocked["id"])) == ["A-1", "A-2", "A-4"]
    removed = {event["listing_id"] for event in shops.outbox("listing.removed")}
    assert len(removed) == 2


def test_a_cancelled_whole_inventory_upload_changes_nothing(shops, seller, stocked):
    job = send(shops, seller, stocked["id"], WHOLE, replace="1").json

    cancelled = shops.client.post(
        f"/shops/{stocked['id']}/uploads/{job['id']}/cancel", headers=seller.headers()
    )
    shops.process_uploads()

    assert cancelled.status_code == 200
    assert cancelled.json["status"] == "failed"
    assert "cancelled" in cancelled.json["failure"]
    assert shops.count(Listing) == 4
    again = shops.client.post(
        f"/shops/{stocked['id']}/uploads/{job['id']}/confirm", headers=seller.headers()
    )
    assert again.status_code == 409


def test_an_ordinary_upload_withdraws_nothing_and_needs_no_confirmation(shops, seller, stocked):
    job = send(shops, seller, stocked["id"], WHOLE).json
    shops.process_uploads()

    done = job_of(shops, seller, stocked["id"], job["id"])
    assert (done["status"], done["replace_all"], done["rows_withdrawn"]) == ("done", False, 0)
    assert shops.count(Listing) == 5


def test_a_whole_inventory_file_naming_nothing_is_refused(shops, seller, stocked):
    no_skus = send(shops, seller, stocked["id"], "title,price\nDune,9.00\n", replace="1")
    blank_skus = send(shops, seller, stocked["id"], "sku,title,price\n,Dune,9.00\n", replace="1")

    assert no_skus.status_code == 422 and "sku column" in no_skus.json["error"]
    assert blank_skus.status_code == 422 and "withdraw all" in blank_skus.json["error"]
    assert shops.count(Listing) == 4


def test_only_the_shops_members_confirm_its_upload(shops, seller, stocked):
    from tests.shops.conftest import make_seller

    job = send(shops, seller, stocked["id"], WHOLE, replace="1").json

    stranger = shops.client.post(
        f"/shops/{stocked['id']}/uploads/{job['id']}/confirm", headers=make_seller().headers()
    )

    assert stranger.status_code in (403, 404)
    assert job_of(shops, seller, stocked["id"], job["id"])["awaiting_confirmation"] is True
