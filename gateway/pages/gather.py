"""Asking several services for one page at once, with one deadline for all of them.

A view names what its page needs as calls on clients it has built (in the request's thread,
where `g` and the signed-in person are), and gets back every answer that came in time; what
failed or came too late is None, and its `missing` sentence tells the page what it cannot
show. No template asks a service: the page is rendered from what was gathered.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

from gateway.clients import ServiceError, ServiceUnavailable

log = logging.getLogger(__name__)

# Refusals that are about who asks, not about the part of the page.
REFUSALS = (401, 403)
# Shared by every request: a page asks a handful of services, a few pages run at once. A
# call past the page's deadline is left running, not killed: its client's own timeout (the
# same SERVICE_TIMEOUT) frees its thread soon after.
_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="page-ask")


@dataclass(frozen=True)
class Ask:
    """One call for a page: `call()` runs in another thread, so it takes its client (and
    anything else it needs from the request) with it. `missing` is what the page says
    when the answer cannot be had, e.g. "your reviews"."""

    call: Callable[[], Any]
    missing: str
    # A 401 or 403 says the person (or the gateway's token) may not see the page at all,
    # and fails the page; a part only shown beside the page (a menu's count) just goes
    # (fails_page_on=()); the page's own subject may add 404 (no such thing: no page).
    fails_page_on: tuple[int, ...] = REFUSALS


@dataclass
class Gathered:
    values: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)


def gather(asks: Mapping[str, Ask], *, timeout: float) -> Gathered:
    """Run every ask at once; wait at most `timeout` seconds for all of them together."""
    found = Gathered()
    if not asks:
        return found
    refused: ServiceError | None = None
    deadline = time.monotonic() + timeout
    # Each call runs with a copy of this thread's context: the correlation id goes along.
    futures = {
        name: _pool.submit(contextvars.copy_context().run, ask.call) for name, ask in asks.items()
    }
    for name, future in futures.items():
        ask = asks[name]
        try:
            found.values[name] = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            future.cancel()
            log.warning("page data too late", extra={"ask": name})
            _missed(found, name, ask)
        except (ServiceError, ServiceUnavailable) as error:
            if _fails_page(error, ask):
                refused = refused or error
            log.warning("page data unavailable", extra={"ask": name, "error": str(error)[:300]})
            _missed(found, name, ask)
    if refused is not None:
        # Not a part of the page missing: the token or the person's access is wrong, or the
        # page's subject does not exist, which the view or the app's error handler answers
        # for the whole page (gateway/app.py).
        raise refused
    return found


def _fails_page(error: Exception, ask: Ask) -> bool:
    return isinstance(error, ServiceError) and error.status in ask.fails_page_on


def _missed(found: Gathered, name: str, ask: Ask) -> None:
    found.values[name] = None
    if ask.missing and ask.missing not in found.missing:
        found.missing.append(ask.missing)
