"""The notifications HTTP API: a person's mail preferences, and one-click unsubscribe.

Preferences need the gateway's service token and act only on the token's user. An
unsubscribe request needs no person signed in: the signed token in the mail's link is its
whole authority, and names one person and one kind of mail.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from pydantic import BaseModel, ConfigDict

from services.common.db import reading
from services.common.openapi import describe, service_spec
from services.common.web import ApiError, parse_json, require_principal
from services.notifications import unsubscribe
from services.notifications.preferences import (
    UnknownKind,
    label_of,
    mute,
    preferences_of,
    set_preferences,
)

blueprint = Blueprint("notifications", __name__)
spec = service_spec("Storefront notifications", description="Mail preferences, unsubscribe.")


class KindChoice(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: str
    enabled: bool


class PreferencesOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    kinds: list[KindChoice]


class UnsubscribeOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: str
    label: str
    enabled: bool


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kinds: dict[str, bool]


class UnsubscribeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str


def _runtime():
    return current_app.extensions["runtime"]


@blueprint.get("/preferences")
@describe(spec, tag="preferences", answer=PreferencesOut)
def get_preferences() -> Response:
    principal = require_principal()
    with reading(_runtime().session_factory) as session:
        return jsonify(preferences_of(session, principal.user_id))


@blueprint.put("/preferences")
@describe(spec, tag="preferences", answer=PreferencesOut, body=PreferencesIn)
def put_preferences() -> Response:
    principal = require_principal()
    wanted = parse_json(PreferencesIn)
    try:
        with _runtime().session_factory.begin() as session:
            set_preferences(session, principal.user_id, wanted.kinds)
    except UnknownKind as error:
        raise ApiError(
            422,
            f"these kinds of mail cannot be chosen: {error}",
            fields={"kinds": "account mails always go out; the others are listed by GET"},
        ) from error
    with reading(_runtime().session_factory) as session:
        return jsonify(preferences_of(session, principal.user_id))


@blueprint.get("/unsubscribe/<token>")
@describe(spec, tag="unsubscribe", answer=UnsubscribeOut)
def describe_unsubscribe(token: str) -> Response:
    request_ = _verified(token)
    with reading(_runtime().session_factory) as session:
        enabled = {
            kind["kind"]: kind["enabled"]
            for kind in preferences_of(session, request_.user_id)["kinds"]
        }
    return jsonify(
        kind=request_.kind, label=label_of(request_.kind), enabled=enabled.get(request_.kind, True)
    )


@blueprint.post("/unsubscribe")
@describe(spec, tag="unsubscribe", answer=UnsubscribeOut, body=UnsubscribeIn)
def post_unsubscribe() -> Response:
    request_ = _verified(parse_json(UnsubscribeIn).token)
    try:
        with _runtime().session_factory.begin() as session:
            mute(session, request_.user_id, request_.kind)
    except UnknownKind as error:
        raise ApiError(400, "this link names no kind of mail one can stop") from error
    return jsonify(kind=request_.kind, label=label_of(request_.kind), enabled=False)


def _verified(token: str) -> unsubscribe.Unsubscribe:
    secret = _runtime().settings.resolved_unsubscribe_secret()
    try:
        return unsubscribe.verify(token, secret=secret)
    except unsubscribe.InvalidUnsubscribeToken as error:
        raise ApiError(
            400, "this unsubscribe link is not valid; change your mail preferences instead"
        ) from error
