"""The catalog's HTTP API: public search and listing detail. Thin: parse, ask, render."""

from __future__ import annotations

from typing import TypeVar

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.catalog import queries
from services.catalog.bootstrap import CatalogRuntime
from services.catalog.db import IndexedShop
from services.catalog.search.port import MAX_PER_PAGE, SearchDocument, SearchHit
from services.common.web import ApiError

blueprint = Blueprint("catalog", __name__)
ModelT = TypeVar("ModelT", bound=BaseModel)

# Deep pages cost the index a scan of everything before them; nobody reads page 10,000.
MAX_PAGE = 10_000


class SearchParams(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str = Field(default="", max_length=300)
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    per_page: int = Field(default=20, ge=1, le=MAX_PER_PAGE)


@blueprint.get("/search")
def search() -> Response:
    params = _parse_args(SearchParams)
    results = queries.search(
        _runtime().search_index, text=params.q, page=params.page, per_page=params.per_page
    )
    return jsonify(
        query=params.q,
        total=results.total,
        page=results.page,
        per_page=results.per_page,
        hits=[_hit(hit) for hit in results.hits],
    )


@blueprint.get("/listings/<listing_id>")
def listing(listing_id: str) -> Response:
    runtime = _runtime()
    with runtime.session_factory() as session:
        detail = queries.listing_detail(session, runtime.search_index, listing_id)
    if detail is None:
        raise ApiError(404, "no such listing in the catalog: it may be sold out or removed")
    return jsonify(
        **_listing(detail.document),
        description=detail.document.description,
        updated_at=detail.document.updated_at.isoformat(),
        shop=_shop(detail.shop),
    )


def _runtime() -> CatalogRuntime:
    return current_app.extensions["runtime"]


def _parse_args(model: type[ModelT]) -> ModelT:
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as error:
        fields = {
            ".".join(str(part) for part in item["loc"]) or "query": item["msg"]
            for item in error.errors()
        }
        summary = "; ".join(f"{name}: {message}" for name, message in fields.items())
        raise ApiError(422, f"invalid search: {summary}", fields=fields) from error


def _listing(document: SearchDocument) -> dict[str, object]:
    return {
        "listing_id": document.listing_id,
        "shop_id": document.shop_id,
        "shop_name": document.shop_name,
        "title": document.title,
        "author": document.author,
        "isbn": document.isbn,
        "condition": document.condition,
        "price": {"amount": document.price_amount, "currency": document.price_currency},
        "quantity": document.quantity,
        "created_at": document.created_at.isoformat(),
    }


def _hit(hit: SearchHit) -> dict[str, object]:
    return {
        **_listing(hit.document),
        "highlight": {"title": hit.highlight.title, "author": hit.highlight.author},
    }


def _shop(shop: IndexedShop | None) -> dict[str, object] | None:
    if shop is None:
        return None
    return {
        "id": shop.shop_id,
        "slug": shop.slug,
        "name": shop.name,
        "signature": shop.signature,
        "country": shop.country,
    }
