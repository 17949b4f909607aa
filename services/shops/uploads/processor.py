"""The worker's side of uploads: apply queued files a chunk of rows per transaction.

`run` is a periodic job of the shops worker. It works for at most `budget` seconds and then
returns, so the worker goes back to its broker connections (heartbeats, the outbox relay,
incoming orders) between chunks. Progress is committed with every chunk: a restarted
worker reopens the file and skips the rows already done.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from services.common.clock import utcnow
from services.shops.db import Shop, UploadJob
from services.shops.uploads.apply import apply_chunk
from services.shops.uploads.files import RowReader, forget_file
from services.shops.uploads.replace import named_skus, withdraw_unnamed

log = logging.getLogger(__name__)
ERRORS_KEPT = 1000
# Seconds between two looks for new uploads while there are none.
IDLE_PAUSE = 0.5


class UploadStatus:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class UploadProcessor:
    def __init__(
        self, session_factory: sessionmaker, *, chunk_rows: int = 1000, budget: float = 0.5
    ) -> None:
        self.session_factory = session_factory
        self.chunk_rows = chunk_rows
        self.budget = budget
        # The open file of the job being applied, kept between steps to avoid rereading it.
        self.reader: RowReader | None = None
        self.idle_until = 0.0

    def run(self) -> int:
        """Apply chunks until the budget is spent or nothing is left; return how many."""
        now = time.monotonic()
        if now < self.idle_until:
            return 0  # nothing was queued a moment ago; spare the database the question
        deadline = now + self.budget
        steps = 0
        while time.monotonic() < deadline:
            if not self.step():
                self.idle_until = time.monotonic() + IDLE_PAUSE
                break
            steps += 1
        return steps

    def step(self) -> bool:
        """Apply one chunk of the oldest unfinished job; False when there is none."""
        job_id = None
        try:
            with self.session_factory.begin() as session:
                job = self._next_job(session)
                if job is None:
                    return False
                job_id = job.id
                self._advance(session, job)
            return True
        except Exception as error:
            # A file we cannot read must not be retried forever: it fails, visibly.
            log.exception("upload failed", extra={"job": job_id})
            self.reader = None
            if job_id is not None:
                self._fail(job_id, f"the file could not be processed: {error}")
            return job_id is not None

    def _next_job(self, session: Session) -> UploadJob | None:
        query = (
            select(UploadJob)
            .where(UploadJob.status.in_((UploadStatus.QUEUED, UploadStatus.RUNNING)))
            # A whole-inventory file waits for its seller's confirmation.
            .where(or_(UploadJob.replace_all.is_(False), UploadJob.confirmed_at.is_not(None)))
            .order_by(UploadJob.created_at, UploadJob.id)
            .limit(1)
        )
        if session.get_bind().dialect.name == "postgresql":
            # Two worker replicas never apply the same chunk.
            query = query.with_for_update(skip_locked=True)
        return session.scalars(query).first()

    def _advance(self, session: Session, job: UploadJob) -> None:
        now = utcnow()
        if job.status == UploadStatus.QUEUED:
            self._start(session, job, now=now)
            return
        reader = self._reader_for(session, job)
        assert reader.header is not None
        rows = reader.take(self.chunk_rows)
        if rows:
            shop = session.get_one(Shop, job.shop_id)
            result = apply_chunk(session, shop=shop, header=reader.header, rows=rows, job_id=job.id)
            job.rows_done += len(rows)
            job.rows_created += result.created
            job.rows_updated += result.updated
            job.rows_unchanged += result.unchanged
            job.rows_rejected += result.rejected
            room = ERRORS_KEPT - len(job.errors)
            if result.errors and room > 0:
                job.errors = job.errors + result.errors[:room]
        if len(rows) < self.chunk_rows:
            if job.replace_all:
                # In the transaction of the last rows: the file's inventory is whole at once.
                # A file naming nothing was refused when sent; never read it as "withdraw all".
                names = named_skus(session, job.id)
                if names:
                    shop = session.get_one(Shop, job.shop_id)
                    job.rows_withdrawn = withdraw_unnamed(session, shop=shop, names=names)
            self._finish(session, job, status=UploadStatus.DONE, now=now)

    def _start(self, session: Session, job: UploadJob, *, now: datetime) -> None:
        reader = RowReader(job.id).use(session)
        header = reader.open()
        job.unknown_columns = list(header.unknown)
        job.started_at = now
        missing = header.missing()
        if missing:
            job.failure = (
                "the header row needs these columns: "
                + ", ".join(missing)
                + " (rows are matched to listings by sku; listingid also works)"
            )
            self._finish(session, job, status=UploadStatus.FAILED, now=now)
            return
        job.rows_total = reader.count_rest()
        job.status = UploadStatus.RUNNING

    def _reader_for(self, session: Session, job: UploadJob) -> RowReader:
        reader = self.reader
        if reader is None or reader.job_id != job.id or reader.position != job.rows_done:
            # First look at this job in this process, or another replica moved it on.
            reader = RowReader(job.id).use(session)
            reader.open()
            reader.skip(job.rows_done)
            self.reader = reader
        return reader.use(session)

    def _finish(self, session: Session, job: UploadJob, *, status: str, now: datetime) -> None:
        job.status = status
        job.finished_at = now
        forget_file(session, job_id=job.id)
        self.reader = None

    def _fail(self, job_id: str, failure: str) -> None:
        with self.session_factory.begin() as session:
            job = session.get(UploadJob, job_id)
            if job is not None:
                job.failure = failure[:2000]
                self._finish(session, job, status=UploadStatus.FAILED, now=utcnow())
