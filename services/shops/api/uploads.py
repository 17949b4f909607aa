"""Inventory uploads: send a CSV or tab-delimited file, then follow its job."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.openapi import Upload, describe
from services.common.web import ApiError, require_principal
from services.shops.api.common import transaction
from services.shops.api.docs import ERRORS, FILE_ERRORS, UploadOut, UploadsOut, spec
from services.shops.db import UploadJob, new_id
from services.shops.handlers.shops import member_shop
from services.shops.uploads.files import FileTooLarge, forget_file, store_file
from services.shops.uploads.replace import named_skus, unnamed_listings
from services.shops.views import upload_json

blueprint = Blueprint("uploads", __name__)
NO_SUCH_UPLOAD = "no such upload in this shop"


class UploadParams(BaseModel):
    # The file's name when it is sent as the whole body rather than as a form's file.
    filename: str | None = None
    # "true": the file is the whole inventory; what it does not name is withdrawn on a yes.
    replace: str | None = None


class UploadForm(BaseModel):
    file: Upload
    replace: str | None = None


@blueprint.post("/shops/<shop_id>/uploads")
@describe(
    spec,
    tag="uploads",
    ok=202,
    answer=UploadOut,
    query=UploadParams,
    form=UploadForm,
    errors=FILE_ERRORS,
)
def upload_inventory(shop_id: str) -> tuple[Response, int]:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        if request.mimetype == "multipart/form-data":
            sent = request.files.get("file")
            if sent is None:
                raise ApiError(400, "send the inventory file in a form field named file")
            source, filename = sent.stream, sent.filename or ""
        else:
            source, filename = request.stream, request.args.get("filename", "")
        job = UploadJob(
            id=new_id(), shop_id=shop.id, user_id=principal.user_id, filename=filename[:300]
        )
        session.add(job)
        session.flush()
        try:
            job.size_bytes = store_file(session, job_id=job.id, source=source)
        except FileTooLarge as error:
            raise ApiError(413, f"{error}; split it into several uploads") from error
        if job.size_bytes == 0:
            raise ApiError(422, "the file is empty: send a header row and one row per listing")
        if _wants_replace():
            _preview_replace(session, job)
        return jsonify(upload_json(job)), 202


def _wants_replace() -> bool:
    value = request.args.get("replace") or request.form.get("replace") or ""
    return value.lower() in ("1", "true", "yes", "on")


def _preview_replace(session: Session, job: UploadJob) -> None:
    """Count what a whole-inventory file would withdraw; the job then waits for a yes."""
    names = named_skus(session, job.id)
    if names is None:
        raise ApiError(
            422,
            "a file that replaces your inventory needs a sku column: "
            "it says which listings you keep",
        )
    if not names:
        raise ApiError(
            422, "the file names no listing by its SKU, so it would withdraw all of them"
        )
    job.replace_all = True
    job.to_withdraw = len(unnamed_listings(session, shop_id=job.shop_id, names=names))


def _waiting_job(session: Session, shop_id: str, job_id: str) -> UploadJob:
    job = session.get(UploadJob, job_id, with_for_update=True)
    if job is None or job.shop_id != shop_id:
        raise ApiError(404, NO_SUCH_UPLOAD)
    if not job.replace_all or job.confirmed_at is not None or job.status != "queued":
        raise ApiError(409, "this upload is not waiting for a confirmation")
    return job


@blueprint.post("/shops/<shop_id>/uploads/<job_id>/confirm")
@describe(spec, tag="uploads", answer=UploadOut, errors=ERRORS)
def confirm_upload(shop_id: str, job_id: str) -> Response:
    """Yes: apply the whole-inventory file and withdraw what it does not name."""
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        job = _waiting_job(session, shop.id, job_id)
        job.confirmed_at = utcnow()
        return jsonify(upload_json(job))


@blueprint.post("/shops/<shop_id>/uploads/<job_id>/cancel")
@describe(spec, tag="uploads", answer=UploadOut, errors=ERRORS)
def cancel_upload(shop_id: str, job_id: str) -> Response:
    """No: the file is dropped and nothing changes."""
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        job = _waiting_job(session, shop.id, job_id)
        job.status, job.finished_at = "failed", utcnow()
        job.failure = "cancelled before anything was changed"
        forget_file(session, job_id=job.id)
        return jsonify(upload_json(job))


@blueprint.get("/shops/<shop_id>/uploads")
@describe(spec, tag="uploads", answer=UploadsOut, errors=ERRORS)
def uploads(shop_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        jobs = session.scalars(
            select(UploadJob)
            .where(UploadJob.shop_id == shop.id)
            .order_by(UploadJob.created_at.desc())
            .limit(50)
        )
        return jsonify(uploads=[upload_json(job) for job in jobs])


@blueprint.get("/shops/<shop_id>/uploads/<job_id>")
@describe(spec, tag="uploads", answer=UploadOut, errors=ERRORS)
def upload_status(shop_id: str, job_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        job = session.get(UploadJob, job_id)
        if job is None or job.shop_id != shop.id:
            raise ApiError(404, NO_SUCH_UPLOAD)
        return jsonify(upload_json(job))
