"""The want-list API: a shopper's own wants and the listings that matched them.

Every route answers for the token's user only; another person's want or match is a 404.
"""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.catalog.api import Answer, spec
from services.catalog.db import Want, WantMatch
from services.catalog.domain import CONDITIONS, binding_key, condition_key
from services.catalog.wants import store
from services.catalog.wants.domain import MAX_WORDS_LENGTH, checked_isbn13, terms_of
from services.common.db import reading
from services.common.inputs import CountryCode, CurrencyCode, Line
from services.common.openapi import describe
from services.common.web import ApiError, parse_json, require_principal

blueprint = Blueprint("wants", __name__)

MAX_MATCHES_SHOWN = 200


class MaxPrice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(ge=1, le=100_000_000)
    currency: Annotated[CurrencyCode, Field(min_length=3)]


class WantInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    isbn: Line | None = Field(default=None, max_length=30)
    words: Line | None = Field(default=None, max_length=MAX_WORDS_LENGTH)
    condition_at_least: Line | None = None
    binding: Line | None = Field(default=None, max_length=60)
    first_edition: bool = False
    ships_to: Annotated[CountryCode, Field(min_length=2)] | None = None
    max_price: MaxPrice | None = None

    @field_validator("isbn")
    @classmethod
    def _isbn(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        number = checked_isbn13(value)
        if number is None:
            raise ValueError("is not a valid ISBN-10 or ISBN-13 (check the digits)")
        return number

    @field_validator("words")
    @classmethod
    def _words(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not terms_of(value):
            raise ValueError("needs at least one word or number to look for")
        return " ".join(value.split())

    @field_validator("condition_at_least")
    @classmethod
    def _condition(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        key = condition_key(value)
        if key is None:
            raise ValueError(f"must be one of {', '.join(reversed(CONDITIONS))}")
        return key

    @field_validator("binding")
    @classmethod
    def _binding(cls, value: str | None) -> str | None:
        return binding_key(value)

    @model_validator(mode="after")
    def _isbn_or_words(self) -> WantInput:
        if (self.isbn is None) == (self.words is None):
            raise ValueError("give either an ISBN or some words to look for, not both")
        return self

    def new_want(self) -> store.NewWant:
        return store.NewWant(
            isbn=self.isbn,
            words=self.words,
            condition_at_least=self.condition_at_least,
            binding=self.binding,
            first_edition=self.first_edition,
            ships_to=self.ships_to.upper() if self.ships_to else None,
            max_price_amount=self.max_price.amount if self.max_price else None,
            max_price_currency=self.max_price.currency.upper() if self.max_price else None,
        )


class WantOut(Answer):
    id: str
    isbn: str | None
    words: str | None
    max_price: dict | None
    created_at: str


class WantsOut(Answer):
    wants: list[WantOut]


class MatchOut(Answer):
    id: str
    want_id: str
    listing_id: str
    title: str
    read: bool


class MatchesOut(Answer):
    matches: list[MatchOut]
    unread: int


class UnreadOut(Answer):
    unread: int


class MatchParams(BaseModel):
    limit: int = Field(default=50, ge=1, le=MAX_MATCHES_SHOWN)


@blueprint.get("/wants")
@describe(spec, tag="wants", answer=WantsOut)
def list_wants() -> Response:
    user_id = require_principal().user_id
    with reading(_sessions()) as session:
        return jsonify(wants=[_want(want) for want in store.wants_of(session, user_id)])


@blueprint.post("/wants")
@describe(spec, tag="wants", ok=201, answer=WantOut, body=WantInput)
def add_want() -> tuple[Response, int]:
    user_id = require_principal().user_id
    wanted = parse_json(WantInput).new_want()
    with _sessions().begin() as session:
        try:
            want = store.add_want(session, user_id, wanted)
        except store.TooManyWants as error:
            raise ApiError(422, str(error), fields={"wants": str(error)}) from error
        return jsonify(_want(want)), 201


@blueprint.get("/wants/<want_id>")
@describe(spec, tag="wants", answer=WantOut)
def get_want(want_id: str) -> Response:
    user_id = require_principal().user_id
    with reading(_sessions()) as session:
        return jsonify(_want(_own_want(session, user_id, want_id)))


@blueprint.delete("/wants/<want_id>")
@describe(spec, tag="wants", ok=204)
def delete_want(want_id: str) -> tuple[str, int]:
    user_id = require_principal().user_id
    with _sessions().begin() as session:
        store.remove_want(session, _own_want(session, user_id, want_id))
    return "", 204


@blueprint.get("/wants/matches")
@describe(spec, tag="wants", answer=MatchesOut, query=MatchParams)
def list_matches() -> Response:
    user_id = require_principal().user_id
    limit = request.args.get("limit", default=50, type=int) or 50
    limit = max(1, min(limit, MAX_MATCHES_SHOWN))
    with reading(_sessions()) as session:
        matches = store.matches_of(session, user_id, limit=limit)
        unread = store.unread_count(session, user_id)
        return jsonify(matches=[_match(match) for match in matches], unread=unread)


@blueprint.get("/wants/matches/unread")
@describe(spec, tag="wants", answer=UnreadOut)
def unread_matches() -> Response:
    user_id = require_principal().user_id
    with reading(_sessions()) as session:
        return jsonify(unread=store.unread_count(session, user_id))


@blueprint.post("/wants/matches/read")
@describe(spec, tag="wants", answer=UnreadOut)
def read_all_matches() -> Response:
    user_id = require_principal().user_id
    with _sessions().begin() as session:
        store.mark_read(session, user_id)
    return jsonify(unread=0)


@blueprint.post("/wants/matches/<match_id>/read")
@describe(spec, tag="wants", answer=UnreadOut)
def read_match(match_id: str) -> Response:
    user_id = require_principal().user_id
    with _sessions().begin() as session:
        if store.match_of(session, user_id, match_id) is None:
            raise ApiError(404, "no such match among your wants")
        store.mark_read(session, user_id, match_id=match_id)
        unread = store.unread_count(session, user_id)
    return jsonify(unread=unread)


def _own_want(session, user_id: str, want_id: str) -> Want:  # noqa: ANN001 - a Session
    want = store.want_of(session, user_id, want_id)
    if want is None:
        raise ApiError(404, "no such want in your list")
    return want


def _sessions():  # noqa: ANN202 - the runtime's sessionmaker
    return current_app.extensions["runtime"].session_factory


def _want(want: Want) -> dict:
    return {
        "id": want.id,
        "isbn": want.isbn,
        "words": want.words,
        "condition_at_least": want.condition_at_least,
        "binding": want.binding,
        "first_edition": want.first_edition,
        "ships_to": want.ships_to,
        "max_price": (
            None
            if want.max_price_amount is None
            else {"amount": want.max_price_amount, "currency": want.max_price_currency}
        ),
        "created_at": want.created_at.isoformat(),
    }


def _match(match: WantMatch) -> dict:
    return {
        "id": match.id,
        "want_id": match.want_id,
        "listing_id": match.listing_id,
        "title": match.title,
        "shop_id": match.shop_id,
        "shop_name": match.shop_name,
        "price": {"amount": match.price_amount, "currency": match.price_currency},
        "matched_at": match.matched_at.isoformat(),
        "read": match.read_at is not None,
    }
