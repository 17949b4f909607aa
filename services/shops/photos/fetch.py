"""Photos an inventory file names by address: fetched by the shops worker, added as if
uploaded, or reported on the file's line.

Each fetch has a time limit and a size cap, and is made outside any transaction; the photo
is processed and stored, then added to its listing in one short transaction. An address
that fails (unreachable, not found, too large, not a picture, the listing full) becomes an
error of the upload job, on the line that named it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.common.clock import utcnow
from services.common.messaging.tables import add_to_outbox
from services.common.photo_store import PhotoStore
from services.common.public_http import AddressRule, ForbiddenAddress, public_session
from services.shops.db import Listing, OutboxMessage, PhotoFetch, UploadJob
from services.shops.domain import InvalidInput
from services.shops.domain.photos import add_photos
from services.shops.events import listing_upserted
from services.shops.handlers.photos import as_image, store_files
from services.shops.photos.processing import BYTES_MAX, BadPhoto, process_photo

log = logging.getLogger(__name__)
BATCH = 5
# Seconds of fetching per turn of the worker's loop: it goes back to its broker connections
# (heartbeats, the relay, incoming orders) in between, as the upload job does.
BUDGET = 2.0
ERRORS_KEPT = 1000


class FetchFailed(Exception):
    """Why a photo could not be fetched, for the seller to read next to the line."""


Fetch = Callable[[str], bytes]


def http_fetcher(*, timeout: float, allow_private: bool, cap: int = BYTES_MAX) -> Fetch:
    # Each connection is opened only to an address checked as it is made: the worker must
    # not be a way into the places only it can reach.
    session = public_session(AddressRule(allow_private=allow_private))

    def fetch(url: str) -> bytes:
        try:
            # No redirects: each hop would need the same check, and shops link files directly.
            with session.get(url, timeout=timeout, stream=True, allow_redirects=False) as answer:
                if answer.status_code != 200:
                    raise FetchFailed(f"the address answered HTTP {answer.status_code}")
                declared = int(answer.headers.get("Content-Length") or 0)
                if declared > cap:
                    raise FetchFailed(_too_large(cap))
                body = bytearray()
                for piece in answer.iter_content(64 * 1024):
                    body += piece
                    if len(body) > cap:
                        raise FetchFailed(_too_large(cap))
                return bytes(body)
        except ForbiddenAddress as error:
            raise FetchFailed(_why_refused(url, error)) from error
        except requests.Timeout as error:
            raise FetchFailed(f"the address did not answer within {timeout:g} seconds") from error
        except requests.RequestException as error:
            raise FetchFailed(
                f"the address could not be reached ({type(error).__name__})"
            ) from error

    return fetch


def _too_large(cap: int) -> str:
    if cap >= 1024 * 1024:
        return f"the photo is larger than {cap // (1024 * 1024)} MB"
    return f"the photo is larger than {cap // 1024} KB"


def _why_refused(url: str, error: ForbiddenAddress) -> str:
    if "does not resolve" in str(error):
        return f"the host {urlsplit(url).hostname or ''!r} is unknown"
    return "the address is not on the public internet"


class PhotoFetcher:
    def __init__(self, session_factory: sessionmaker, store: PhotoStore, fetch: Fetch) -> None:
        self.session_factory = session_factory
        self.store = store
        self.fetch = fetch

    def run(self) -> int:
        """Fetch up to BATCH pending photos; how many were handled (done or failed)."""
        with self.session_factory() as session:
            pending = list(
                session.scalars(
                    select(PhotoFetch)
                    .where(PhotoFetch.status == "pending")
                    .order_by(PhotoFetch.id)
                    .limit(BATCH)
                )
            )
            session.expunge_all()
        deadline = time.monotonic() + BUDGET
        handled = 0
        for item in pending:
            if time.monotonic() > deadline:
                break
            self.handle(item)
            handled += 1
        return handled

    def handle(self, item: PhotoFetch) -> None:
        try:
            photo = process_photo(self.fetch(item.url))
        except (FetchFailed, BadPhoto) as error:
            self._fail(item, str(error))
            return
        store_files(self.store, [photo])
        with self.session_factory.begin() as session:
            fetch = session.get(PhotoFetch, item.id, with_for_update=True)
            if fetch is None or fetch.status != "pending":
                return  # another worker replica took it meanwhile
            listing = session.get(Listing, item.listing_id, with_for_update=True)
            if listing is None:
                fetch.status = "failed"
                return  # deleted since: nothing to tell the seller about it
            try:
                images = add_photos(listing.images or [], [as_image(photo)])
            except InvalidInput as error:
                fetch.status = "failed"
                _report(session, item, next(iter(error.fields.values())))
                return
            fetch.status = "done"
            if images != list(listing.images or []):
                listing.images = images
                listing.revision += 1
                listing.updated_at = utcnow()
                session.flush()
                add_to_outbox(session, OutboxMessage, listing_upserted(listing))

    def _fail(self, item: PhotoFetch, reason: str) -> None:
        log.info("photo fetch failed", extra={"url": item.url, "reason": reason})
        with self.session_factory.begin() as session:
            fetch = session.get(PhotoFetch, item.id, with_for_update=True)
            if fetch is None or fetch.status != "pending":
                return
            fetch.status = "failed"
            _report(session, item, reason)


def _report(session: Session, item: PhotoFetch, reason: str) -> None:
    job = session.get(UploadJob, item.job_id, with_for_update=True)
    if job is None or len(job.errors) >= ERRORS_KEPT:
        return
    job.errors = [
        *job.errors,
        {"line": item.line, "field": "photos", "reason": f"{item.url}: {reason}"},
    ]
