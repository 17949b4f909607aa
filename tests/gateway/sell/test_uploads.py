"""Inventory uploads: the file goes to the shops service, the page follows the job."""

from __future__ import annotations

import io
import re

from tests import support
from tests.gateway.helpers import csrf_token, text

GOOD_FILE = (
    "sku,title,author,price,quantity,shelf\n"
    "A-1,Persuasion,Jane Austen,8.50,1,B3\n"
    "A-2,Emma,Jane Austen,not much,1,B3\n"
    "A-3,Sanditon,Jane Austen,6,2,B4\n"
)


def upload(client, name: str, content: bytes):  # noqa: ANN001, ANN201
    token = csrf_token(client, "/sell/uploads")
    return client.post(
        "/sell/uploads",
        data={"csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_upload_applies_the_file_and_reports_refused_rows(seller):
    response = upload(seller.client, "stock.csv", GOOD_FILE.encode())

    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert re.fullmatch(r"/sell/uploads/[0-9a-f-]{36}", job_url)
    page = text(seller.client.get(job_url))
    assert 'id="upload-progress"' in page and f'data-progress-url="{job_url}/progress"' in page

    progress = support.wait_for(
        lambda: (
            (answer := seller.client.get(f"{job_url}/progress").get_json())["finished"] and answer
        )
    )
    assert progress == {
        "status": "done",
        "finished": True,
        "rows_total": 3,
        "rows_done": 3,
        "percent": 100,
        "errors": 1,
        "rows_rejected": 1,
    }
    report = text(seller.client.get(job_url))
    assert 'id="upload-error-report"' in report
    assert re.search(r"<td[^>]*>3</td><td>price</td><td>[^<]*not much", report), report
    assert "<code>shelf</code>" in report  # the column nobody reads
    assert 'id="rows-created">2<' in report
    assert sorted(item["sku"] for item in seller.stored_listings()) == ["A-1", "A-3"]
    assert "stock.csv" in text(seller.client.get("/sell/uploads"))


def test_upload_with_missing_columns_reports_the_failure(seller):
    response = upload(seller.client, "stock.csv", b"name,cost\nPersuasion,8.50\n")

    job_url = response.headers["Location"]
    support.wait_for(lambda: seller.client.get(f"{job_url}/progress").get_json()["finished"])
    report = text(seller.client.get(job_url))
    assert 'id="upload-failure"' in report and "sku" in report
    assert seller.stored_listings() == []


def test_upload_of_a_bad_file_shows_message_and_sends_nothing(seller):
    spreadsheet = upload(seller.client, "stock.xlsx", b"PK\x03\x04 zipped")
    binary = upload(seller.client, "stock.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    empty = upload(seller.client, "stock.csv", b"  \n")
    token = csrf_token(seller.client, "/sell/uploads")
    nothing = seller.client.post(
        "/sell/uploads", data={"csrf_token": token}, content_type="multipart/form-data"
    )

    assert spreadsheet.status_code == 400 and "Upload a .csv" in text(spreadsheet)
    assert binary.status_code == 400 and "not plain text" in text(binary)
    assert empty.status_code == 400 and "The file is empty" in text(empty)
    assert nothing.status_code == 400 and "Choose a file to upload." in text(nothing)
    assert 'id="file-error"' in text(binary)
    assert seller.stored_uploads() == []
    assert seller.stored_listings() == []


def test_upload_of_another_shop_is_not_found(seller, live_gateway, services):
    from tests.gateway.sell.conftest import open_shop

    other = open_shop(live_gateway, services, "ines@example.org", "Ines Rare Books", "Ines")
    job_url = upload(other.client, "stock.csv", GOOD_FILE.encode()).headers["Location"]

    assert seller.client.get(job_url).status_code == 404
    assert seller.client.get(f"{job_url}/progress").status_code == 404
