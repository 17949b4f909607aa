"""Flask pieces every service shares: who is asking, JSON errors, health and metrics."""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Callable
from typing import TypeVar

import orjson
import pika
from flask import Flask, Response, abort, current_app, g, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine, text
from werkzeug.exceptions import HTTPException

from services.common import correlation
from services.common.auth import (
    InvalidToken,
    Operator,
    Principal,
    verify_operator_token,
    verify_service_token,
    verify_token,
)
from services.common.inputs import BadJson, BadText, check_json, check_text
from services.common.messaging.worker import connection_parameters

ModelT = TypeVar("ModelT", bound=BaseModel)

# Far above any form or command the services take; bulk uploads are files, not JSON bodies.
MAX_JSON_BYTES = 1024 * 1024

REQUESTS = Counter(
    "http_requests_total", "HTTP requests served", ["service", "method", "endpoint", "status"]
)
LATENCY = Histogram("http_request_seconds", "HTTP request latency", ["service", "endpoint"])


class ApiError(HTTPException):
    """An HTTP error whose message is meant for the person who sent the request."""

    def __init__(self, status: int, message: str, *, fields: dict[str, str] | None = None):
        super().__init__(description=message)
        self.code = status
        self.fields = fields or {}


def current_principal() -> Principal | None:
    if "principal" not in g:
        header = request.headers.get("Authorization", "")
        g.principal = None
        if header.startswith("Bearer "):
            try:
                g.principal = verify_token(
                    header[len("Bearer ") :], secret=current_app.config["SERVICE_TOKEN_SECRET"]
                )
            except InvalidToken:
                abort(401, "the service token is invalid or has expired")
    return g.principal


def require_principal() -> Principal:
    principal = current_principal()
    if principal is None:
        abort(401, "sign in first: this needs a service token")
    return principal


def require_operator() -> Operator:
    """The platform's operator named by the token; anyone else is refused as if the route
    did not exist: a shopper, a shop's member and a stranger learn nothing of it."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        abort(404)
    try:
        return verify_operator_token(
            header[len("Bearer ") :], secret=current_app.config["SERVICE_TOKEN_SECRET"]
        )
    except InvalidToken:
        abort(404)


def require_service_caller(*callers: str) -> str:
    """The part of the system calling as itself (one of `callers`); a person's token, or
    none, is refused: these routes answer questions about everyone."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        abort(401, "this route needs a service token of its own")
    token, secret = header[len("Bearer ") :], current_app.config["SERVICE_TOKEN_SECRET"]
    try:
        caller = verify_service_token(token, secret=secret)
    except InvalidToken:
        try:
            verify_token(token, secret=secret)
        except InvalidToken:
            abort(401, "the service token is invalid or has expired")
        # A valid token of a person: known, and not allowed here.
        abort(403, "this route is for other services of the storefront only")
    if caller not in callers:
        abort(403, "this route is for other services of the storefront only")
    return caller


def parse_json(model: type[ModelT], *, max_bytes: int = MAX_JSON_BYTES) -> ModelT:
    """Validate the request body against `model`, or answer 422 naming each bad field.

    The body is bounded in size and depth and its text and numbers checked before any
    model sees it, so no input can exhaust the stack or reach the database unstorable.
    """
    if (request.content_length or 0) > max_bytes:
        raise ApiError(413, f"the request body is larger than {max_bytes} bytes")
    body = request.get_data(cache=True)
    if len(body) > max_bytes:
        raise ApiError(413, f"the request body is larger than {max_bytes} bytes")
    try:
        payload = _loads(body)
        check_json(payload)
    except BadJson as error:
        if error.where:
            raise ApiError(
                422, f"invalid input: {error.where}: {error}", fields={error.where: str(error)}
            ) from error
        raise ApiError(400, f"send a JSON object in the request body: {error}") from error
    except ValueError as error:
        raise ApiError(400, f"send a JSON object in the request body: {error}") from error
    if not isinstance(payload, dict):
        raise ApiError(400, "send a JSON object in the request body")
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise invalid_input(error, what="input", whole="body") from error


def _loads(body: bytes) -> object:
    # orjson bounds nesting itself, and refuses lone surrogates, NaN and Infinity. What it
    # refuses the standard parser may read, so that check_json can name the field at fault.
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            raise ValueError(str(error)) from error


def invalid_input(error: ValidationError, *, what: str, whole: str) -> ApiError:
    """A 422 naming each bad field; `whole` names an error about the input as a whole."""
    fields = {
        ".".join(str(part) for part in item["loc"]) or whole: item["msg"] for item in error.errors()
    }
    summary = "; ".join(f"{name}: {message}" for name, message in fields.items())
    return ApiError(422, f"invalid {what}: {summary}", fields=fields)


def database_ready(engine: Engine) -> Callable[[], None]:
    def check() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    return check


def broker_ready(amqp_url: str) -> Callable[[], None]:
    def check() -> None:
        connection = pika.BlockingConnection(connection_parameters(amqp_url))
        connection.close()

    return check


def register_common(
    app: Flask,
    *,
    service: str,
    readiness: dict[str, Callable[[], None]],
    metrics_token: str = "",
    public: bool = False,
) -> None:
    """Health, readiness and metrics. `public` apps (the gateway) serve /metrics only to a
    scraper that sends `metrics_token`; the others to anyone when no token is set."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        body: dict[str, object] = {"error": error.description}
        if isinstance(error, ApiError) and error.fields:
            body["fields"] = error.fields
        return jsonify(body), error.code or 500

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok", service=service)

    @app.get("/readyz")
    def readyz() -> tuple[Response, int]:
        failures = {}
        for name, check in readiness.items():
            try:
                check()
            except Exception as error:  # a readiness probe reports, it never raises
                failures[name] = repr(error)[:300]
        if failures:
            return jsonify(status="unavailable", service=service, failures=failures), 503
        return jsonify(status="ready", service=service), 200

    @app.get("/metrics")
    def metrics() -> Response:
        if metrics_token or public:
            sent = request.headers.get("Authorization", "")
            expected = f"Bearer {metrics_token}"
            if not metrics_token or not hmac.compare_digest(sent.encode(), expected.encode()):
                # As if there were nothing here: the public learns nothing of our traffic.
                abort(404)
        return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()
        # The caller's request id (the gateway's, or a load balancer's), or a new one: it
        # follows the request into the outbox, the messages and every consumer's logs.
        g.correlation_id = correlation.accept(request.headers.get(correlation.HEADER))
        g.correlation_token = correlation.bind(g.correlation_id)

    @app.teardown_request
    def forget_correlation(_error: BaseException | None) -> None:
        token = g.pop("correlation_token", None)
        if token is not None:
            correlation.reset(token)

    @app.before_request
    def refuse_unreadable_url() -> None:
        # A NUL or another control character in a path segment or a query parameter reaches
        # no database: PostgreSQL cannot store NUL, and nobody types one.
        values = list((request.view_args or {}).values())
        for repeated in request.args.listvalues():
            values.extend(repeated)
        for value in values:
            if isinstance(value, str):
                try:
                    check_text(value)
                except BadText as error:
                    raise ApiError(400, f"the address {error}") from error

    @app.after_request
    def record(response: Response) -> Response:
        endpoint = request.endpoint or "unknown"
        REQUESTS.labels(service, request.method, endpoint, response.status_code).inc()
        started = g.get("request_started")
        if started is not None:
            LATENCY.labels(service, endpoint).observe(time.perf_counter() - started)
        if "correlation_id" in g:
            response.headers[correlation.HEADER] = g.correlation_id
        # A JSON answer or a CSV file is never taken for a page by a browser.
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
