"""Purge and replace in the portal: a preview that says how many go, then a yes or a no.

Against fake services (tests/gateway/fakes.py, fakes_orders.py). Withdrawing the listings a
whole-inventory file leaves out is the shops service's, tested in
tests/shops/test_upload_replace.py; here, what the page says and which answer it sends.
"""

from __future__ import annotations

import io

from gateway.clients import ServiceError
from tests.gateway.helpers import csrf_token, text
from tests.gateway.sell.fakes_orders import an_upload_job

WHOLE = "sku,title,price,quantity\nA-1,Persuasion,8.50,1\nA-9,Sanditon,6,2\n"
UPLOADS = "/shops/shop-1/uploads"
JOB = "/shops/shop-1/uploads/job-1"
JOB_PAGE = "/sell/uploads/job-1"

AWAITING = an_upload_job(
    filename="all.csv",
    status="queued",
    replace_all=True,
    to_withdraw=2,
    awaiting_confirmation=True,
    rows_total=None,
    rows_done=0,
    rows_created=0,
    started_at=None,
    finished_at=None,
)
REPLACED = AWAITING | {
    "status": "done",
    "awaiting_confirmation": False,
    "rows_total": 2,
    "rows_done": 2,
    "rows_created": 1,
    "rows_updated": 1,
    "rows_withdrawn": 2,
}


def upload_whole(client):  # noqa: ANN001, ANN201
    token = csrf_token(client, "/sell/uploads")
    return client.post(
        "/sell/uploads",
        data={"csrf_token": token, "replace": "y", "file": (io.BytesIO(WHOLE.encode()), "all.csv")},
        content_type="multipart/form-data",
    )


def answer(client, action: str):  # noqa: ANN001, ANN201
    return client.post(f"{JOB_PAGE}/{action}", data={"csrf_token": csrf_token(client, JOB_PAGE)})


def test_a_whole_inventory_file_is_sent_as_such_and_previews_how_many_go(portal, fakes):
    fakes.on("GET", UPLOADS, {"uploads": []})
    fakes.on("POST", UPLOADS, AWAITING)
    fakes.on("GET", JOB, AWAITING)
    assert 'name="replace"' in text(portal.get("/sell/uploads"))

    uploaded = upload_whole(portal)
    page = text(portal.get(JOB_PAGE))

    assert uploaded.headers["Location"] == JOB_PAGE
    [sent] = fakes.asked("POST", UPLOADS)
    assert sent.options["params"] == {"filename": "all.csv", "replace": "1"}
    assert 'id="replace-preview"' in page
    assert "2 of your listings are not in it" in page
    assert portal.get(f"{JOB_PAGE}/progress").get_json()["status"] == (
        "waiting for your confirmation"
    )


def test_a_yes_confirms_the_job_and_the_report_says_how_many_were_withdrawn(portal, fakes):
    fakes.on("GET", JOB, AWAITING)
    fakes.on("POST", f"{JOB}/confirm", AWAITING | {"awaiting_confirmation": False})

    confirmed = answer(portal, "confirm")

    assert confirmed.headers["Location"] == JOB_PAGE
    assert fakes.writes() == [f"POST {JOB}/confirm"]
    fakes.on("GET", JOB, REPLACED)
    report = text(portal.get(JOB_PAGE))
    assert "Your inventory is being replaced by the file." in report
    assert 'id="rows-withdrawn">2<' in report and 'id="replace-preview"' not in report


def test_a_no_cancels_the_job_and_changes_nothing(portal, fakes):
    fakes.on("GET", JOB, AWAITING)
    cancelled = AWAITING | {
        "status": "failed",
        "awaiting_confirmation": False,
        "failure": "cancelled before anything was changed",
    }
    fakes.on("POST", f"{JOB}/cancel", cancelled)

    answer(portal, "cancel")

    assert fakes.writes() == [f"POST {JOB}/cancel"]
    fakes.on("GET", JOB, cancelled)
    page = text(portal.get(JOB_PAGE))
    assert "Cancelled: nothing was changed." in page
    assert "cancelled before anything was changed" in page


def test_an_answer_given_twice_says_it_was_already_answered(portal, fakes):
    fakes.on("GET", JOB, REPLACED)
    fakes.on("POST", f"{JOB}/confirm", ServiceError(409, "this upload is not waiting"))

    answer(portal, "confirm")

    assert "This upload was already answered." in text(portal.get(JOB_PAGE))
