"""A worker's own small HTTP server: /healthz, /readyz and /metrics.

It runs on a thread of its own and only reads what the worker's loop records (connected,
consuming, the time of its last turn) and the metrics registry, so it answers while the
loop waits for the broker, and while the broker is down.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app

log = logging.getLogger(__name__)

Status = Callable[[], tuple[bool, dict[str, Any]]]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    # Probes every few seconds would fill the log; the worker logs what matters itself.
    def log_message(self, *_args: object) -> None:
        pass


def health_app(*, service: str, live: Status, ready: Status) -> Callable:
    metrics_app = make_wsgi_app()

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path in ("/healthz", "/readyz"):
            ok, details = (live if path == "/healthz" else ready)()
            word = ("ok" if path == "/healthz" else "ready") if ok else "unavailable"
            body = json.dumps({"status": word, "service": service, **details}).encode()
            status = "200 OK" if ok else "503 Service Unavailable"
            start_response(status, [("Content-Type", "application/json")])
            return [body]
        if path == "/metrics":
            return metrics_app(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"error": "not found: try /healthz, /readyz or /metrics"}']

    return app


class HealthServer:
    def __init__(self, app: Callable, *, host: str, port: int) -> None:
        self._server = make_server(
            host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="health", daemon=True
        )

    def start(self) -> HealthServer:
        self._thread.start()
        log.info("worker endpoints serving", extra={"port": self.port})
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve_database_process_probes(
    *,
    service: str,
    engine: Any,
    last_turn: Callable[[], float],
    stuck_after: float,
    host: str,
    port: int,
) -> HealthServer | None:
    """The probes of a process that works from its database alone (a sender of mails or
    webhooks): live while its loop turned within `stuck_after` seconds, ready while its
    database answers. None when the port cannot be had: the work matters more than the
    probes, so the process goes on, and says so."""
    from sqlalchemy import text  # only these processes need it here

    def live() -> tuple[bool, dict[str, Any]]:
        since = time.monotonic() - last_turn()
        return since < stuck_after, {"last_turn_seconds": round(since, 1)}

    def ready() -> tuple[bool, dict[str, Any]]:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # a probe reports, it never raises
            return False, {"database": repr(error)[:300]}
        return True, {}

    app = health_app(service=service, live=live, ready=ready)
    try:
        return HealthServer(app, host=host, port=port).start()
    except OSError as error:
        log.error("probe port unavailable", extra={"port": port, "error": repr(error)})
        return None
