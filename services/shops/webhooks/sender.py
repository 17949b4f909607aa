"""Sending webhook deliveries: each on a thread of a pool, one at a time per endpoint.

A receiver that hangs holds one thread until the timeout, and only its own endpoint's
queue waits: every other shop's deliveries go on through the other threads. Deliveries
are claimed in the database (`locked_until`, SKIP LOCKED on PostgreSQL), so replicas of
the process never send one twice at the same time.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.common.clock import as_utc, utcnow
from services.common.contracts import ShopWebhookDisabled
from services.common.db import is_sqlite
from services.common.messaging.tables import add_to_outbox
from services.common.public_http import AddressRule, ForbiddenAddress, public_session
from services.shops.db import OutboxMessage, WebhookDelivery, WebhookEndpoint
from services.shops.webhooks.rules import SIGNATURE_HEADER, gave_up, next_attempt, signature

log = logging.getLogger(__name__)
ERROR_MAX = 500


@dataclass(frozen=True)
class Job:
    delivery_id: str
    endpoint_id: str
    url: str
    secret: str
    body: str


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Sender:
    def __init__(
        self,
        session_factory: sessionmaker,
        *,
        timeout: float = 10.0,
        retry_base: timedelta = timedelta(seconds=30),
        give_up_after: timedelta = timedelta(days=1),
        allow_loopback: bool = False,
        threads: int = 16,
    ) -> None:
        self._session_factory = session_factory
        self._timeout = timeout
        self._retry_base = retry_base
        self._give_up_after = give_up_after
        # One pool of connections for every thread, each connection opened only to an
        # address that was checked as it was made.
        self._http = public_session(AddressRule(allow_loopback=allow_loopback), pool_size=threads)
        self._threads = threads
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="webhook")
        self._busy: set[str] = set()
        self._lock = threading.Lock()
        self.last_turn = time.monotonic()

    def step(self) -> int:
        """Hand the due deliveries of idle endpoints to the pool; how many were handed."""
        self.last_turn = time.monotonic()
        with self._lock:
            busy = set(self._busy)
        free = self._threads - len(busy)
        if free <= 0:
            return 0
        jobs = self._claim(busy=busy, limit=free)
        for job in jobs:
            with self._lock:
                self._busy.add(job.endpoint_id)
            self._pool.submit(self._run, job)
        return len(jobs)

    def busy(self) -> bool:
        with self._lock:
            return bool(self._busy)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _claim(self, *, busy: set[str], limit: int) -> list[Job]:
        now = utcnow()
        with self._session_factory.begin() as session:
            query = (
                select(WebhookDelivery, WebhookEndpoint)
                .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
                .where(
                    WebhookDelivery.status == "pending",
                    WebhookDelivery.next_attempt_at <= now,
                    (WebhookDelivery.locked_until.is_(None)) | (WebhookDelivery.locked_until < now),
                    WebhookEndpoint.disabled_at.is_(None),
                )
                .order_by(WebhookDelivery.next_attempt_at)
                .limit(limit * 4)
            )
            if busy:
                query = query.where(WebhookDelivery.endpoint_id.not_in(busy))
            if not is_sqlite(session.get_bind()):
                query = query.with_for_update(skip_locked=True, of=WebhookDelivery)
            jobs: list[Job] = []
            taken: set[str] = set()
            hold = now + timedelta(seconds=self._timeout + 30)
            for delivery, endpoint in session.execute(query):
                # One at a time per endpoint: its deliveries keep their order, and a slow
                # receiver never takes more than one thread.
                if endpoint.id in taken or len(jobs) >= limit:
                    continue
                taken.add(endpoint.id)
                delivery.locked_until = hold
                jobs.append(
                    Job(delivery.id, endpoint.id, endpoint.url, endpoint.secret, delivery.body)
                )
            return jobs

    def _run(self, job: Job) -> None:
        try:
            outcome = self._post(job)
            with self._session_factory.begin() as session:
                self._record(session, job, outcome, now=utcnow())
        except Exception:  # a thread of the pool must never die of one delivery
            log.exception("webhook delivery failed to record", extra={"delivery": job.delivery_id})
        finally:
            with self._lock:
                self._busy.discard(job.endpoint_id)

    def _post(self, job: Job) -> Outcome:
        body = job.body.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "storefront-webhooks/1",
            "Storefront-Delivery": job.delivery_id,
            SIGNATURE_HEADER: signature(job.secret, timestamp=int(time.time()), body=body),
        }
        try:
            response = self._http.post(
                job.url, data=body, headers=headers, timeout=self._timeout, allow_redirects=False
            )
        except ForbiddenAddress as error:
            return Outcome(None, str(error))
        except requests.RequestException as error:
            return Outcome(None, repr(error)[:ERROR_MAX])
        response.close()
        return Outcome(response.status_code, None)

    def _record(self, session: Session, job: Job, outcome: Outcome, *, now: datetime) -> None:
        delivery = session.get(WebhookDelivery, job.delivery_id)
        endpoint = session.get(WebhookEndpoint, job.endpoint_id)
        if delivery is None or endpoint is None:  # removed by its owner meanwhile
            return
        delivery.attempts += 1
        delivery.locked_until = None
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error
        if outcome.ok:
            delivery.status = "delivered"
            delivery.delivered_at = now
            endpoint.failing_since = None
            return
        log.info(
            "webhook delivery refused",
            extra={"delivery": job.delivery_id, "status": outcome.status_code},
        )
        endpoint.failing_since = endpoint.failing_since or now
        if gave_up(since=as_utc(delivery.created_at), now=now, give_up_after=self._give_up_after):
            delivery.status = "failed"
        else:
            delivery.next_attempt_at = next_attempt(
                attempts=delivery.attempts, now=now, base=self._retry_base
            )
        if gave_up(
            since=as_utc(endpoint.failing_since), now=now, give_up_after=self._give_up_after
        ):
            # The owner sees it switched off, and why, on the shop's webhooks page.
            endpoint.disabled_at = now
            endpoint.disabled_reason = (
                f"every delivery failed since {as_utc(endpoint.failing_since):%Y-%m-%d %H:%M} "
                f"UTC (last: {outcome.status_code or outcome.error})"
            )
            # Its people are told by mail, through the outbox like every event.
            add_to_outbox(
                session,
                OutboxMessage,
                ShopWebhookDisabled(
                    shop_id=endpoint.shop_id,
                    endpoint_id=endpoint.id,
                    url=endpoint.url,
                    reason=endpoint.disabled_reason,
                ),
            )
            log.warning("webhook endpoint switched off", extra={"endpoint": endpoint.id})
