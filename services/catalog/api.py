"""The catalog's HTTP API: search, listing detail, works and their offers. Thin: parse, ask,
render."""

from __future__ import annotations

from typing import TypeVar

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from services.catalog import queries, render
from services.catalog.bootstrap import CatalogRuntime
from services.catalog.domain import CONDITIONS, condition_key
from services.catalog.search.port import (
    FACETS,
    MAX_DISTANCE_KM,
    MAX_PER_PAGE,
    MAX_RATING,
    SORTS,
    SearchQuery,
)
from services.common.db import reading
from services.common.inputs import MAX_MINOR_UNITS, CountryCode, Line
from services.common.openapi import describe, service_spec
from services.common.web import ApiError, invalid_input

blueprint = Blueprint("catalog", __name__)
COVERS_MAX = 100

spec = service_spec("Storefront catalog", description="Search every shop, compare offers.")


class Answer(BaseModel):
    # The answers hold more than these; what is named is promised.
    model_config = ConfigDict(extra="allow")


class SearchAnswer(Answer):
    query: str
    total: int
    page: int
    per_page: int
    sort: str
    hits: list[dict]
    facets: dict
    suggestions: list[str]


class ListingAnswer(Answer):
    id: str
    title: str


class ShopAnswer(Answer):
    id: str
    name: str


class WorkAnswer(Answer):
    id: str


class CoversParams(BaseModel):
    # Listing ids, comma-separated; the first 100 are read.
    ids: str = ""


class CoversAnswer(Answer):
    # By listing id: its cover photo (ListingImage's fields), for those that have one.
    covers: dict[str, dict]


class OffersAnswer(Answer):
    work_id: str
    offers: list[dict]


ModelT = TypeVar("ModelT", bound=BaseModel)

# Deep pages cost the index a scan of everything before them; nobody reads page 10,000.
MAX_PAGE = 10_000
# Parameters that may repeat (?shop=a&shop=b): any of the values matches.
_REPEATED = ("shop", "country", "category", "binding", "condition")


def _condition(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    key = condition_key(value)
    if key is None:
        raise ValueError(f"must be one of {', '.join(reversed(CONDITIONS))}")
    return key


class SearchParams(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: Line = Field(default="", max_length=300)
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    per_page: int = Field(default=20, ge=1, le=MAX_PER_PAGE)
    price_min: int | None = Field(default=None, ge=0, le=MAX_MINOR_UNITS)
    price_max: int | None = Field(default=None, ge=0, le=MAX_MINOR_UNITS)
    condition_at_least: Line | None = None
    condition: list[Line] = Field(default_factory=list, max_length=10)
    shop: list[Line] = Field(default_factory=list, max_length=50)
    country: list[CountryCode] = Field(default_factory=list, max_length=50)
    category: list[Line] = Field(default_factory=list, max_length=20)
    binding: list[Line] = Field(default_factory=list, max_length=20)
    in_stock: bool = False
    sort: str = "relevance"
    # Where the parcel goes: the landed-price sort and each hit's landed price count each
    # shop's domestic or international rate to it.
    ship_to: CountryCode | None = None
    # The shopper's place: the distance sort measures from it, within_km keeps the shops
    # at most that far (the gateway places the shopper's town with services/common/geo.py).
    near_lat: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    near_lon: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    within_km: float | None = Field(default=None, gt=0, le=MAX_DISTANCE_KM, allow_inf_nan=False)
    # The shop's average rating from its reviews, 1 to 5 stars.
    rating_at_least: float | None = Field(default=None, ge=0, le=MAX_RATING, allow_inf_nan=False)

    @field_validator("condition_at_least")
    @classmethod
    def _floor(cls, value: str | None) -> str | None:
        return _condition(value)

    @field_validator("condition")
    @classmethod
    def _conditions(cls, values: list[str]) -> list[str]:
        return [key for value in values if (key := _condition(value))]

    @field_validator("sort")
    @classmethod
    def _sort(cls, value: str) -> str:
        if value not in SORTS:
            raise ValueError(f"must be one of {', '.join(SORTS)}")
        return value

    @model_validator(mode="after")
    def _price_range(self) -> SearchParams:
        if self.price_min is not None and self.price_max is not None:
            if self.price_min > self.price_max:
                raise ValueError("price_max is below price_min")
        if (self.near_lat is None) != (self.near_lon is None):
            raise ValueError("give both near_lat and near_lon, or neither")
        if self.near is None and (self.within_km is not None or self.sort == "distance"):
            raise ValueError("a distance needs the shopper's place: near_lat and near_lon")
        return self

    @property
    def near(self) -> tuple[float, float] | None:
        if self.near_lat is None or self.near_lon is None:
            return None
        return (self.near_lat, self.near_lon)

    def query(self) -> SearchQuery:
        return SearchQuery(
            text=self.q,
            page=self.page,
            per_page=self.per_page,
            price_min=self.price_min,
            price_max=self.price_max,
            condition_at_least=self.condition_at_least,
            conditions=tuple(self.condition),
            shops=tuple(self.shop),
            countries=tuple(c.upper() for c in self.country),
            categories=tuple(self.category),
            bindings=tuple(self.binding),
            in_stock=self.in_stock,
            sort=self.sort,
            facets=FACETS,
            rating_at_least=self.rating_at_least,
            ship_to=self.ship_to.upper() if self.ship_to else None,
            near=self.near,
            within_km=self.within_km,
        )


class OfferParams(BaseModel):
    model_config = ConfigDict(extra="ignore")

    country: CountryCode | None = None
    condition_at_least: Line | None = None

    @field_validator("condition_at_least")
    @classmethod
    def _floor(cls, value: str | None) -> str | None:
        return _condition(value)


@blueprint.get("/search")
@describe(spec, tag="search", answer=SearchAnswer, query=SearchParams)
def search() -> Response:
    params = _parse_args(SearchParams)
    found = queries.search(_runtime().search_index, params.query())
    results = found.results
    with reading(_runtime().session_factory) as session:
        logos = queries.shop_logos(session, {hit.document.shop_id for hit in results.hits})
    return jsonify(
        query=params.q,
        total=results.total,
        page=results.page,
        per_page=results.per_page,
        sort=params.sort,
        hits=[
            render.hit(
                hit,
                found.offers.get(hit.document.work_id, 1),
                ship_to=params.ship_to,
                near=params.near,
            )
            | {"shop_logo": logos.get(hit.document.shop_id)}
            for hit in results.hits
        ],
        facets=results.facets,
        suggestions=list(results.suggestions),
    )


@blueprint.get("/listings/<listing_id>")
@describe(spec, tag="listings", answer=ListingAnswer)
def listing(listing_id: str) -> Response:
    runtime = _runtime()
    with reading(runtime.session_factory) as session:
        detail = queries.listing_detail(session, runtime.search_index, listing_id)
        if detail is None:
            raise ApiError(404, "no such listing in the catalog: it may be sold out or removed")
        return jsonify(render.detail(detail.document, detail.shop, detail.offers))


@blueprint.get("/covers")
@describe(spec, tag="listings", answer=CoversAnswer, query=CoversParams)
def covers() -> Response:
    """The cover photo of each listing named (`ids`, comma-separated, at most 100): for the
    cart and the order pages, whose lines may be sold out or removed since."""
    ids = [value for value in request.args.get("ids", "").split(",") if value][:COVERS_MAX]
    with reading(_runtime().session_factory) as session:
        return jsonify(covers=queries.covers(session, ids))


@blueprint.get("/shops/<key>")
@describe(spec, tag="shops", answer=ShopAnswer)
def shop(key: str) -> Response:
    """A shop's public face by its slug, or by its id."""
    with reading(_runtime().session_factory) as session:
        found = queries.public_shop(session, key)
        if found is None:
            raise ApiError(404, "no such shop in the catalog")
        return jsonify(render.shop_json(found))


@blueprint.get("/works/<work_id>")
@describe(spec, tag="works", answer=WorkAnswer)
def work(work_id: str) -> Response:
    found = queries.work(_runtime().search_index, work_id)
    if found is None:
        raise ApiError(404, "no shop offers this work right now")
    return jsonify(render.work(found))


@blueprint.get("/works/<work_id>/offers")
@describe(spec, tag="works", answer=OffersAnswer, query=OfferParams)
def offers(work_id: str) -> Response:
    params = _parse_args(OfferParams)
    country = params.country.upper() if params.country else None
    found = queries.offers(
        _runtime().search_index,
        work_id,
        country=country,
        condition_at_least=params.condition_at_least,
    )
    if found is None:
        raise ApiError(404, "no shop offers this work right now")
    with reading(_runtime().session_factory) as session:
        logos = queries.shop_logos(session, {offer.document.shop_id for offer in found})
    return jsonify(
        work_id=work_id,
        country=country,
        condition_at_least=params.condition_at_least,
        offers=[
            render.offer(offer) | {"shop_logo": logos.get(offer.document.shop_id)}
            for offer in found
        ],
    )


def _runtime() -> CatalogRuntime:
    return current_app.extensions["runtime"]


def _parse_args(model: type[ModelT]) -> ModelT:
    values: dict[str, object] = request.args.to_dict()
    for name in _REPEATED:
        if name in model.model_fields and name in request.args:
            annotation = str(model.model_fields[name].annotation)
            if annotation.startswith("list"):
                values[name] = [v for v in request.args.getlist(name) if v.strip()]
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise invalid_input(error, what="search", whole="query") from error
