"""What every service client shares: one call, its token, and errors people can act on.

Each client is built for one person (or nobody) with the service token to send. A service's
4xx answer becomes ServiceError carrying its message and per-field reasons for the form; a
service that cannot be reached or fails (5xx) becomes ServiceUnavailable.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import quote

import requests

from services.common import correlation

_local = threading.local()


def _http() -> requests.Session:
    # A requests.Session is not safe to share between threads; one per thread keeps the
    # connection pool while every web worker thread has its own.
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


class ServiceError(Exception):
    """The service refused the request (4xx) and changed nothing."""

    def __init__(self, status: int, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}


class ServiceUnavailable(Exception):
    """The service is down, too slow, or failed on its side (5xx)."""

    def __init__(self, service: str, reason: str):
        super().__init__(f"{service} is unavailable: {reason}")
        self.service = service


class ServiceClient:
    service = "service"

    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = 5.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method: str, path: str, **options: Any) -> Any:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        correlation_id = correlation.current()
        if correlation_id:
            # The services carry the page's request id on into their outboxes and logs.
            headers[correlation.HEADER] = correlation_id
        try:
            response = _http().request(
                method, self.base_url + path, headers=headers, timeout=self.timeout, **options
            )
        except requests.RequestException as error:
            raise ServiceUnavailable(self.service, repr(error)) from error
        if response.status_code >= 500:
            raise ServiceUnavailable(self.service, f"HTTP {response.status_code}")
        try:
            body = response.json() if response.content else {}
        except ValueError:
            body = {}
        if response.status_code >= 400:
            body = body if isinstance(body, dict) else {}
            raise ServiceError(
                response.status_code,
                str(body.get("error") or f"The request was refused ({response.status_code})."),
                {str(k): str(v) for k, v in (body.get("fields") or {}).items()},
            )
        return body


def quote_id(value: str) -> str:
    # Ids come from URLs people can edit; never let one add path segments.
    return quote(str(value), safe="")
