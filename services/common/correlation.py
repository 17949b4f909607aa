"""The correlation id: one id that follows a request through every process it causes.

A web process takes it from the request's X-Request-ID header (or makes one), the outbox
row written in that request keeps it, the relay sends it as the message's correlation_id
property, and the consumer binds it again while it applies the message, so its log lines
and the outbox rows it writes in turn carry the same id. Every JSON log line shows it.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

HEADER = "X-Request-ID"

_current: ContextVar[str | None] = ContextVar("correlation_id", default=None)
# Ids come from clients: anything else would let a request write into every log line.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def current() -> str | None:
    return _current.get()


def new_id() -> str:
    return uuid.uuid4().hex


def accept(candidate: str | None) -> str:
    """`candidate` when it is a usable id, else a new one."""
    if candidate and _ACCEPTABLE.match(candidate):
        return candidate
    return new_id()


def bind(correlation_id: str | None) -> object:
    """Make `correlation_id` the current one; returns a token for `reset`."""
    return _current.set(correlation_id)


def reset(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


@contextmanager
def bound(correlation_id: str | None) -> Iterator[None]:
    token = _current.set(correlation_id)
    try:
        yield
    finally:
        _current.reset(token)


class CorrelationFilter(logging.Filter):
    """Adds the current correlation id to every record that does not name one itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "correlation_id", None) is None:
            correlation_id = _current.get()
            if correlation_id is not None:
                record.correlation_id = correlation_id
        return True
