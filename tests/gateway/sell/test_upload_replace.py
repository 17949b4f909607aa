"""Purge and replace in the portal: a preview that says how many go, then a yes or a no."""

from __future__ import annotations

import io

from tests import support
from tests.gateway.helpers import csrf_token, text

WHOLE = "sku,title,price,quantity\nA-1,Persuasion,8.50,1\nA-9,Sanditon,6,2\n"


def upload_whole(client):  # noqa: ANN001, ANN201
    token = csrf_token(client, "/sell/uploads")
    return client.post(
        "/sell/uploads",
        data={"csrf_token": token, "replace": "y", "file": (io.BytesIO(WHOLE.encode()), "all.csv")},
        content_type="multipart/form-data",
    )


def test_a_whole_inventory_upload_says_how_many_go_and_waits_for_a_yes(seller):
    for sku in ("A-1", "A-2", "A-3"):
        seller.add_listing(sku=sku, title=f"Book {sku}")
    assert 'name="replace"' in text(seller.client.get("/sell/uploads"))

    job_url = upload_whole(seller.client).headers["Location"]
    page = text(seller.client.get(job_url))

    assert 'id="replace-preview"' in page
    assert "2 of your listings are not in it" in page
    assert len(seller.stored_listings()) == 3
    token = csrf_token(seller.client, job_url)
    seller.client.post(f"{job_url}/confirm", data={"csrf_token": token})
    report = support.wait_for(
        lambda: (
            (html := text(seller.client.get(job_url))) and 'id="rows-withdrawn"' in html and html
        )
    )
    assert 'id="rows-withdrawn">2<' in report
    assert sorted(item["sku"] for item in seller.stored_listings()) == ["A-1", "A-9"]


def test_a_cancelled_whole_inventory_upload_changes_nothing(seller):
    seller.add_listing(sku="A-2", title="Emma")

    job_url = upload_whole(seller.client).headers["Location"]
    token = csrf_token(seller.client, job_url)
    seller.client.post(f"{job_url}/cancel", data={"csrf_token": token})

    assert "cancelled before anything was changed" in text(seller.client.get(job_url))
    assert [item["sku"] for item in seller.stored_listings()] == ["A-2"]
