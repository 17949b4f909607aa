"""The public API's shapes, from which its OpenAPI document is made (`/openapi.json`).

Requests are read by the models in api/listings.py and api/orders.py (reused here); these
describe the answers. Fields the answers hold beyond these are allowed, not promised.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.shops.domain import ShopOrderStatus


class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class Money(Out):
    amount: int = Field(description="minor units (cents)")
    currency: str


class Listing(Out):
    id: str
    sku: str | None
    title: str
    author: str | None
    isbn: str | None
    condition: str | None
    categories: list[str]
    photos: list[str]
    price: Money
    quantity: int = Field(ge=0)
    revision: int
    created_at: str | None
    updated_at: str | None


class ListingPage(Out):
    listings: list[Listing]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null: last")


class BulkItem(Out):
    index: int = Field(description="the item's place in the request")
    sku: Any = Field(description="the item's SKU as sent")
    status: Literal["created", "updated", "unchanged", "rejected"]
    errors: dict[str, str] | None = Field(default=None, description="why it was rejected")


class BulkResult(Out):
    results: list[BulkItem]
    created: int
    updated: int
    unchanged: int
    rejected: int


class Buyer(Out):
    user_id: str
    name: str


class ExtraCharge(Out):
    id: str
    amount: Money
    reason: str | None
    status: str


class Order(Out):
    id: str
    order_id: str
    buyer: Buyer
    lines: list[dict[str, Any]]
    subtotal: Money
    shipping: Money
    total: Money
    status: Literal[*ShopOrderStatus.ALL]  # type: ignore[valid-type]
    placed_at: str | None
    respond_by: str | None
    note: str | None
    carrier: str | None
    tracking_number: str | None
    extra_charge: ExtraCharge | None
    delivery_address: dict[str, Any] | None
    payment: Literal["waiting", "confirmed", "failed"] | None = Field(
        description="the buyer's money once accepted: ship only when it is confirmed"
    )
    ready_to_ship: bool


class OrderPage(Out):
    orders: list[Order]
    next_cursor: str | None


class Problem(Out):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, str] | None = Field(default=None, description="field: what to fix")


class ListingsQuery(BaseModel):
    limit: int = Field(default=100, ge=1, le=500)
    cursor: str | None = None


class OrdersQuery(BaseModel):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None
    status: Literal[*ShopOrderStatus.ALL] | None = None  # type: ignore[valid-type]


class IdempotencyHeaders(BaseModel):
    idempotency_key: str | None = Field(
        default=None,
        alias="Idempotency-Key",
        max_length=255,
        description="your own unique key: a retry with it and the same body changes nothing",
    )
