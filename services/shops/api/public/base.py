"""What every public endpoint shares: the token and its scopes, problem details (RFC 9457),
rate limits per token, cursors, ETags and idempotent writes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, g, jsonify, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from spectree import Response as Answers
from spectree import SecurityScheme, SpecTree
from spectree.models import SecuritySchemeData
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from services.common.db import reading
from services.common.web import ApiError
from services.shops.api.common import runtime
from services.shops.api.public.schemas import Problem
from services.shops.db import IdempotentRequest, Shop
from services.shops.handlers import tokens as token_handlers
from services.shops.handlers.listings import lock_skus

PREFIX = "/api/v1"
PROBLEM_TYPE = "https://storefront.example/problems/"
IDEMPOTENCY_KEY_MAX = 255

blueprint = Blueprint("public_api", __name__, url_prefix=PREFIX, template_folder="templates")

# The OpenAPI document is made from the endpoints' models (spectree); the endpoints read
# their bodies themselves, so that every refusal is a problem detail of ours.
spec = SpecTree(
    "flask",
    title="Storefront seller API",
    description="A shop's own software keeps its listings and answers its orders.",
    version="1.0.0",
    mode="strict",
    annotations=False,
    path="api/v1/spec",  # spectree's own routes; /api/v1/openapi.json is ours
    page_templates={},
    # Plain model names: the document is read by people and their code generators.
    naming_strategy=lambda model: model.__name__,
    security_schemes=[
        SecurityScheme(name="token", data=SecuritySchemeData(type="http", scheme="bearer"))
    ],
    security={"token": []},
)
PROBLEMS = (400, 401, 403, 404, 409, 422, 429)


def documented(
    *,
    tag: str,
    ok: int = 200,
    answer: type | None = None,
    body: type | None = None,
    query: type | None = None,
    not_modified: bool = False,
    headers: type | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Describe an endpoint in the OpenAPI document: its body, query and answers."""
    codes: dict[str, Any] = {f"HTTP_{ok}": answer}
    if not_modified:
        codes["HTTP_304"] = None
    codes |= {f"HTTP_{status}": Problem for status in PROBLEMS}
    return spec.validate(
        json=body,
        query=query,
        headers=headers,
        resp=Answers(**codes),
        tags=[tag],
        skip_validation=True,
    )


def _rate_key() -> str:
    # Per token: a shop's script that runs away slows only itself. The secret's hash, so
    # the limiter's storage never holds a usable secret.
    secret = _bearer()
    if secret:
        return "token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]
    return "address:" + get_remote_address()


def configure_public_api(app: Flask, *, rate_limit: str, storage_uri: str) -> None:
    """Mount the public API with its limit per token; nothing else of the app is limited.

    A 429 carries Retry-After (and X-RateLimit-* on every answer) from Flask-Limiter.
    """
    limiter = Limiter(_rate_key, app=app, storage_uri=storage_uri, headers_enabled=True)
    limiter.limit(rate_limit)(blueprint)
    app.register_blueprint(blueprint)

    # An address under /api/v1/ that matches no endpoint never reaches the blueprint's
    # handler: it is answered here, as a problem detail too.
    def unrouted(error: HTTPException) -> Response | tuple[Response, int]:
        if request.path.startswith(PREFIX + "/"):
            return problem(error)
        return jsonify(error=error.description), error.code or 500

    app.register_error_handler(404, unrouted)
    app.register_error_handler(405, unrouted)
    spec.register(app)

    # Beside the API it describes, where the ingress lets it out; the service's own API
    # has the service's /openapi.json.
    @app.get(PREFIX + "/openapi.json")
    def public_openapi() -> Response:
        return jsonify(spec.spec)

    @app.get(PREFIX + "/docs")
    def reference() -> str:
        return render_template("public_api_reference.html", spec=spec.spec)


@blueprint.errorhandler(HTTPException)
def problem(error: HTTPException) -> Response:
    """Every refusal as application/problem+json, with the fields to fix when there are."""
    status = error.code or 500
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + str(status),
        "title": error.name,
        "status": status,
        "detail": error.description,
    }
    if isinstance(error, ApiError) and error.fields:
        body["errors"] = error.fields
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="storefront"'
    return response


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    return header[len("Bearer ") :].strip() if header.startswith("Bearer ") else ""


def caller(scope: str) -> token_handlers.Caller:
    """The shop behind the request's token, if the token may do `scope`; 401 or 403 else."""
    secret = _bearer()
    if not secret:
        raise ApiError(401, "send a personal access token: Authorization: Bearer sft_...")
    with reading(runtime().session_factory) as session:
        found = token_handlers.find_caller(session, secret=secret)
    if found is None:
        raise ApiError(401, "this token is unknown, revoked or expired; make a new one")
    if scope not in found.scopes:
        raise ApiError(403, f"this token lacks the {scope} scope; make one that has it")
    if found.stale:
        with runtime().session_factory.begin() as session:
            token_handlers.touch(session, token_id=found.token_id)
    g.caller = found
    return found


def the_shop(session: Session, who: token_handlers.Caller) -> Shop:
    shop = session.get(Shop, who.shop_id)
    if shop is None:  # the token outlived its shop
        raise ApiError(401, "this token's shop no longer exists")
    return shop


def with_etag(response: Response) -> Response:
    """A read answers 304 when the caller already has this representation."""
    response.add_etag()
    return response.make_conditional(request)


def encode_cursor(position: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


def decode_cursor(*, length: int) -> list[Any] | None:
    raw = request.args.get("cursor", "")
    if not raw:
        return None
    try:
        position = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        position = None
    if (
        not isinstance(position, list)
        or len(position) != length
        or not all(isinstance(part, str) for part in position)
    ):
        raise ApiError(400, "cursor is not one this API gave out: pass next_cursor as it came")
    return position


def idempotent(
    session: Session, shop: Shop, work: Callable[[], tuple[dict[str, Any], int]]
) -> tuple[Response, int]:
    """Do `work` once per Idempotency-Key: a retry with the same key and the same request
    gets the first answer again and changes nothing; another request with it is refused.

    The shop's SKU lock is taken first, so a retry racing the first attempt waits for it
    and then finds its answer. The answer is stored in the transaction of the work.
    """
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        body, status = work()
        return jsonify(body), status
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise ApiError(400, f"Idempotency-Key is at most {IDEMPOTENCY_KEY_MAX} characters")
    fingerprint = hashlib.sha256(
        f"{request.method} {request.path}\n".encode() + request.get_data()
    ).hexdigest()
    lock_skus(session, shop)
    earlier = session.scalars(
        select(IdempotentRequest).where(
            IdempotentRequest.shop_id == shop.id, IdempotentRequest.key == key
        )
    ).first()
    if earlier is not None:
        if earlier.fingerprint != fingerprint:
            raise ApiError(422, "this Idempotency-Key was used for another request; use a new key")
        response = jsonify(earlier.body)
        response.headers["Idempotent-Replayed"] = "true"
        return response, earlier.status
    body, status = work()
    session.add(
        IdempotentRequest(
            shop_id=shop.id, key=key, fingerprint=fingerprint, status=status, body=body
        )
    )
    return jsonify(body), status
