"""Each service's OpenAPI 3.1 document, made from its endpoints' pydantic models (spectree)
and served at `/openapi.json`.

Endpoints keep reading their input themselves (their refusals keep the service's error
shape); the decorator only describes them, so the document cannot drift from the models.
schemathesis checks every service against its own document in the test suite.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any
from weakref import WeakKeyDictionary

from flask import Flask, Response, jsonify
from pydantic import BaseModel, ConfigDict, WithJsonSchema
from spectree import Response as Answers
from spectree import SpecTree

ERRORS = (400, 401, 404, 409, 422)

# A file in a multipart body, as OpenAPI names one.
Upload = Annotated[bytes, WithJsonSchema({"type": "string", "format": "binary"})]


class Error(BaseModel):
    """`{"error": "<a sentence a person can act on>", "fields": {"<field>": "<why>"}}`."""

    model_config = ConfigDict(extra="allow")

    error: str
    fields: dict[str, str] | None = None


# Per document, each model by its name: spectree names a model by its class name alone, so a
# second model of the same name would silently take the first one's place in the document.
_NAMED: WeakKeyDictionary[SpecTree, dict[str, type]] = WeakKeyDictionary()


def service_spec(title: str, *, description: str = "") -> SpecTree:
    return SpecTree(
        "flask",
        title=title,
        description=description,
        version="1.0.0",
        mode="strict",
        annotations=False,
        page_templates={},
        naming_strategy=lambda model: model.__name__,
    )


def describe(
    spec: SpecTree,
    *,
    tag: str,
    answer: type | None = None,
    ok: int | tuple[int, ...] = 200,
    query: type | None = None,
    body: type | None = None,
    form: type | None = None,
    errors: tuple[int, ...] = ERRORS,
    as_is: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`ok` may name several statuses that answer alike (201 made, 200 found as it was).
    `form` describes a multipart body (files as `Upload`). `as_is`: the route's own answer
    goes out untouched, for a file or a CSV stream, which spectree's wrapper would read
    whole into memory before sending."""
    _name_once(spec, query, body, form, answer)
    codes: dict[str, Any] = {f"HTTP_{status}": answer for status in _statuses(ok)}
    codes |= {f"HTTP_{status}": Error for status in errors}
    described = spec.validate(
        query=query,
        json=body,
        form=form,
        resp=Answers(**codes),
        tags=[tag],
        skip_validation=True,
    )
    if not as_is:
        return described

    def keep_answer(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def untouched(*args: Any, **kwargs: Any) -> Any:
            return view(*args, **kwargs)

        # spectree finds a route's description along the `__wrapped__` chain.
        untouched.__wrapped__ = described(view)  # type: ignore[attr-defined]
        return untouched

    return keep_answer


def _name_once(spec: SpecTree, *models: type | None) -> None:
    named = _NAMED.setdefault(spec, {})
    for model in models:
        if model is None:
            continue
        known = named.setdefault(model.__name__, model)
        if known is not model:
            raise TypeError(
                f"two models named {model.__name__} in the document {spec.config.title!r} "
                f"({known.__module__} and {model.__module__}): rename one"
            )


def _statuses(ok: int | tuple[int, ...]) -> tuple[int, ...]:
    return (ok,) if isinstance(ok, int) else ok


def serve_openapi(app: Flask, spec: SpecTree) -> None:
    spec.register(app)

    @app.get("/openapi.json")
    def openapi() -> Response:
        return jsonify(spec.spec)
