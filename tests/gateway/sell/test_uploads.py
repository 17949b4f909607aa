"""Inventory uploads: the file goes to the shops service, the page follows the job.

Against fake services (tests/gateway/fakes.py, fakes_orders.py). Reading the file's rows is
the shops service's, tested in tests/shops/test_uploads.py; here, the obvious mistakes
caught before sending, what is sent, and how the job's progress and report read.
"""

from __future__ import annotations

import io
import re

from gateway.clients import ServiceError
from tests.gateway.helpers import csrf_token, text
from tests.gateway.sell.fakes_orders import a_row_error, an_upload_job

GOOD_FILE = (
    "sku,title,author,price,quantity,shelf\n"
    "A-1,Persuasion,Jane Austen,8.50,1,B3\n"
    "A-2,Emma,Jane Austen,not much,1,B3\n"
    "A-3,Sanditon,Jane Austen,6,2,B4\n"
)
UPLOADS = "/shops/shop-1/uploads"
JOB = "/shops/shop-1/uploads/job-1"

QUEUED = an_upload_job(
    status="queued", rows_total=None, rows_done=0, rows_created=0, started_at=None, finished_at=None
)
RUNNING = an_upload_job(status="running", rows_done=1, rows_created=1, finished_at=None)
DONE_WITH_A_REFUSED_ROW = an_upload_job(
    rows_created=2,
    rows_rejected=1,
    errors=[a_row_error(3, "price", "not a price: 'not much'")],
    unknown_columns=["shelf"],
)


def upload(client, name: str, content: bytes):  # noqa: ANN001, ANN201
    token = csrf_token(client, "/sell/uploads")
    return client.post(
        "/sell/uploads",
        data={"csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def receiving(fakes, job: dict) -> list[dict]:  # noqa: ANN001
    """Answer uploads with `job`; what each upload sent (its query and the file's bytes)."""
    sent: list[dict] = []

    def receive(options: dict) -> dict:
        sent.append({"params": options["params"], "body": options["data"].read()})
        return job

    fakes.on("POST", UPLOADS, receive)
    return sent


def test_a_file_is_sent_as_it_is_and_the_page_follows_its_job(portal, fakes):
    fakes.on("GET", UPLOADS, {"uploads": []})
    sent = receiving(fakes, QUEUED)
    fakes.on("GET", JOB, QUEUED)

    response = upload(portal, "stock.csv", GOOD_FILE.encode())

    assert response.status_code == 302 and response.headers["Location"] == "/sell/uploads/job-1"
    assert sent == [{"params": {"filename": "stock.csv"}, "body": GOOD_FILE.encode()}]
    page = text(portal.get("/sell/uploads/job-1"))
    assert 'id="upload-progress"' in page
    assert 'data-progress-url="/sell/uploads/job-1/progress"' in page
    assert 'data-finished="false"' in page


def test_the_progress_of_a_running_and_of_a_finished_job(portal, fakes):
    fakes.on("GET", JOB, RUNNING)
    running = portal.get("/sell/uploads/job-1/progress").get_json()
    fakes.on("GET", JOB, DONE_WITH_A_REFUSED_ROW)
    done = portal.get("/sell/uploads/job-1/progress").get_json()

    assert running == {
        "status": "running",
        "finished": False,
        "rows_total": 3,
        "rows_done": 1,
        "percent": 33,
        "errors": 0,
        "rows_rejected": 0,
    }
    assert done == {
        "status": "done",
        "finished": True,
        "rows_total": 3,
        "rows_done": 3,
        "percent": 100,
        "errors": 1,
        "rows_rejected": 1,
    }


def test_a_finished_job_reports_what_was_added_and_each_refused_row(portal, fakes):
    fakes.on("GET", JOB, DONE_WITH_A_REFUSED_ROW)
    fakes.on("GET", UPLOADS, {"uploads": [DONE_WITH_A_REFUSED_ROW]})

    report = text(portal.get("/sell/uploads/job-1"))
    uploads = text(portal.get("/sell/uploads"))

    assert 'id="upload-error-report"' in report
    assert re.search(r"<td[^>]*>3</td><td>price</td><td>[^<]*not much", report), report
    assert "<code>shelf</code>" in report  # the column nobody reads
    assert 'id="rows-created">2<' in report and 'id="rows-rejected">1<' in report
    assert "stock.csv" in uploads and 'href="/sell/uploads/job-1"' in uploads


def test_a_file_the_service_could_not_apply_says_why(portal, fakes):
    failed = an_upload_job(
        status="failed",
        rows_total=None,
        rows_done=0,
        rows_created=0,
        failure="missing columns: sku",
    )
    fakes.on("GET", JOB, failed)

    report = text(portal.get("/sell/uploads/job-1"))

    assert 'id="upload-failure"' in report and "missing columns: sku" in report
    assert 'id="upload-summary"' not in report


def test_a_bad_file_shows_a_message_and_sends_nothing(portal, fakes):
    fakes.on("GET", UPLOADS, {"uploads": []})

    spreadsheet = upload(portal, "stock.xlsx", b"PK\x03\x04 zipped")
    binary = upload(portal, "stock.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    empty = upload(portal, "stock.csv", b"  \n")
    token = csrf_token(portal, "/sell/uploads")
    nothing = portal.post(
        "/sell/uploads", data={"csrf_token": token}, content_type="multipart/form-data"
    )

    assert spreadsheet.status_code == 400 and "Upload a .csv" in text(spreadsheet)
    assert binary.status_code == 400 and "not plain text" in text(binary)
    assert empty.status_code == 400 and "The file is empty" in text(empty)
    assert nothing.status_code == 400 and "Choose a file to upload." in text(nothing)
    assert 'id="file-error"' in text(binary)
    assert fakes.writes() == []


def test_a_file_the_service_refuses_is_said_beside_the_file(portal, fakes):
    fakes.on("GET", UPLOADS, {"uploads": []})
    refusal = ServiceError(413, "the file is larger than 20 MB", {"body": "at most 20 MB"})
    fakes.on("POST", UPLOADS, refusal)

    response = upload(portal, "stock.csv", GOOD_FILE.encode())

    assert response.status_code == 400
    assert 'id="file-error"' in text(response) and "at most 20 MB" in text(response)


def test_a_job_of_another_shop_is_not_found(portal, fakes):
    # The shops service finds no such job in the shop the token names.
    fakes.on("GET", JOB, ServiceError(404, "no such upload"))

    page = portal.get("/sell/uploads/job-1")
    progress = portal.get("/sell/uploads/job-1/progress")

    assert page.status_code == 404
    assert progress.status_code == 404 and progress.get_json() == {"error": "no such upload"}
