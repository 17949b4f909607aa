"""Inventory uploads: send a file, watch its rows being applied, read what was refused."""

from __future__ import annotations

from pathlib import PurePath
from typing import IO

from flask import Blueprint, flash, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue

from gateway import identity
from gateway.clients import ServiceError
from gateway.forms import ActionForm
from gateway.forms.sell_uploads import UploadForm
from gateway.pages.helpers import show_service_error
from gateway.pages.layout import render_page
from gateway.pages.sell_common import require_shop

blueprint = Blueprint("uploads", __name__)
EXTENSIONS = (".csv", ".tsv", ".txt", ".tab")
SNIFF_BYTES = 8192
FINISHED = ("done", "failed")


def check_file(name: str, stream: IO[bytes]) -> str | None:
    """What is wrong with the file a person chose, in words they can act on; None if fine.

    The shops service reads any bytes as text; a spreadsheet or a photo sent by mistake would
    only fail later in the job, so the obvious mistakes are caught here, before sending.
    """
    if PurePath(name).suffix.lower() not in EXTENSIONS:
        return (
            "Upload a .csv or tab-delimited .txt file. A spreadsheet program can save one "
            "with “Save as… CSV”."
        )
    start = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if not start.strip():
        return "The file is empty: it needs a header row and one row per listing."
    if b"\x00" in start:
        return "This file is not plain text (is it a spreadsheet?). Save it as CSV and try again."
    return None


@blueprint.route("/uploads", methods=["GET", "POST"])
def uploads() -> ResponseReturnValue:
    shop = require_shop()
    client = identity.shops_client()
    form = UploadForm()
    if form.validate_on_submit():
        sent = form.file.data
        problem = "Choose a file to upload." if not sent or not sent.filename else None
        problem = problem or check_file(sent.filename, sent.stream)
        if problem:
            form.file.errors = [problem]
        else:
            try:
                job = client.upload(
                    shop["id"], sent.stream, filename=sent.filename, replace=form.replace.data
                )
            except ServiceError as error:
                show_service_error(form, error, field_names={"body": "file"})
                if not error.fields:
                    form.file.errors = [error.message]
            else:
                return redirect(url_for(".job", job_id=job["id"]))
    status = 400 if request.method == "POST" else 200
    return (
        render_page("sell/uploads.html", shop=shop, form=form, jobs=client.uploads(shop["id"])),
        status,
    )


def _job(job_id: str) -> tuple[dict, dict]:
    shop = require_shop()
    return shop, identity.shops_client().upload_job(shop["id"], job_id)


@blueprint.get("/uploads/<job_id>")
def job(job_id: str) -> ResponseReturnValue:
    shop, found = _job(job_id)
    return render_page(
        "sell/upload_job.html", shop=shop, job=found, answer=ActionForm(), **progress(found)
    )


@blueprint.post("/uploads/<job_id>/<any(confirm, cancel):action>")
def answer(job_id: str, action: str) -> ResponseReturnValue:
    """The seller's yes or no to a file that replaces the whole inventory."""
    shop = require_shop()
    if ActionForm().validate_on_submit():
        try:
            identity.shops_client().answer_upload(shop["id"], job_id, confirm=action == "confirm")
        except ServiceError as error:
            if error.status != 409:
                raise
            flash("This upload was already answered.", "info")
        else:
            if action == "confirm":
                flash("Your inventory is being replaced by the file.", "success")
            else:
                flash("Cancelled: nothing was changed.", "info")
    return redirect(url_for(".job", job_id=job_id))


@blueprint.get("/uploads/<job_id>/progress")
def job_progress(job_id: str) -> ResponseReturnValue:
    """A small JSON answer for the job page's progress bar, asked every second."""
    try:
        _, found = _job(job_id)
    except ServiceError as error:
        return jsonify(error=error.message), error.status
    return jsonify(progress(found))


def progress(job: dict) -> dict:
    total = job.get("rows_total")
    done = job.get("rows_done") or 0
    finished = job.get("status") in FINISHED
    if finished and job.get("status") == "done":
        percent = 100
    elif total:
        percent = min(100, done * 100 // total)
    else:
        percent = 0
    if job.get("awaiting_confirmation"):
        # Not started, and it will not start by itself: the page asks for a yes or no.
        finished = True
    return {
        "status": "waiting for your confirmation"
        if job.get("awaiting_confirmation")
        else job.get("status"),
        "finished": finished,
        "rows_total": total,
        "rows_done": done,
        "percent": percent,
        "errors": len(job.get("errors") or []),
        "rows_rejected": job.get("rows_rejected") or 0,
    }
