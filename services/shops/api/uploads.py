"""Inventory uploads: send a CSV or tab-delimited file, then follow its job."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select

from services.common.web import ApiError, require_principal
from services.shops.api.common import transaction
from services.shops.db import UploadJob, new_id
from services.shops.handlers.shops import member_shop
from services.shops.uploads.files import FileTooLarge, store_file
from services.shops.views import upload_json

blueprint = Blueprint("uploads", __name__)
NO_SUCH_UPLOAD = "no such upload in this shop"


@blueprint.post("/shops/<shop_id>/uploads")
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
        return jsonify(upload_json(job)), 202


@blueprint.get("/shops/<shop_id>/uploads")
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
def upload_status(shop_id: str, job_id: str) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
        job = session.get(UploadJob, job_id)
        if job is None or job.shop_id != shop.id:
            raise ApiError(404, NO_SUCH_UPLOAD)
        return jsonify(upload_json(job))
