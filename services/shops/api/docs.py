"""The shops service's own API (the one the gateway calls) in its OpenAPI document,
`/openapi.json`; the public seller API has its own at `/api/v1/openapi.json`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from services.common.openapi import service_spec
from services.common.operator_audit import OperatorActionOut

# Refusals as docs/api.md says; 403 where only the owner (or only the gateway) may.
ERRORS = (400, 401, 403, 404, 409, 422)
# A route that takes files also refuses a body too large to read (413).
FILE_ERRORS = (*ERRORS, 413)
# The operator's routes answer anyone else's token, or none, with 404 (never 401 or 403): to
# them the route does not exist.
OPERATOR_ONLY = (400, 404, 422)

spec = service_spec(
    "Storefront shops", description="Shops, their inventory and their side of each order."
)


class Answer(BaseModel):
    # The answers hold more than these; what is named is promised.
    model_config = ConfigDict(extra="allow")


class ShopOut(Answer):
    id: str
    slug: str
    name: str
    currency: str
    revision: int


class ShopsOut(Answer):
    shops: list[ShopOut]


class MemberOut(Answer):
    shop_id: str
    user_id: str
    role: str


class MembersOut(Answer):
    members: list[MemberOut]


class ListingOut(Answer):
    id: str
    shop_id: str
    title: str
    quantity: int
    revision: int


class ListingsPage(Answer):
    listings: list[ListingOut]
    total: int
    page: int
    per_page: int


class ListingsOut(Answer):
    listings: list[ListingOut]


class ListingFeed(Answer):
    listings: list[ListingOut]
    next_after: str | None


class OrderOut(Answer):
    id: str
    order_id: str
    shop_id: str
    status: str


class OrdersOut(Answer):
    orders: list[OrderOut]


class TokenOut(Answer):
    id: str
    name: str
    scopes: list[str]
    hint: str
    last_used_at: str | None
    expires_at: str | None
    revoked_at: str | None


class NewTokenOut(TokenOut):
    secret: str


class TokensOut(Answer):
    tokens: list[TokenOut]


class EndpointOut(Answer):
    id: str
    url: str
    events: list[str]
    secret: str
    disabled_at: str | None


class EndpointsOut(Answer):
    endpoints: list[EndpointOut]


class DeliveryOut(Answer):
    id: str
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None


class DeliveriesOut(Answer):
    deliveries: list[DeliveryOut]


class UploadOut(Answer):
    id: str
    shop_id: str
    status: str
    awaiting_confirmation: bool


class UploadsOut(Answer):
    uploads: list[UploadOut]


class CustomerOut(Answer):
    user_id: str
    name: str
    order_count: int
    total_spent: list[dict]


class CustomersOut(Answer):
    customers: list[CustomerOut]
    total: int
    page: int
    per_page: int


class CustomerDetailOut(CustomerOut):
    notes: str | None
    orders: list[dict]


class KeptRecordOut(Answer):
    shop_id: str
    shop_name: str
    notes: str | None
    tags: list[str] | None


class KeptAboutMeOut(Answer):
    records: list[KeptRecordOut]


class OperatorShopOut(Answer):
    id: str
    name: str
    slug: str
    country: str | None
    created_at: str
    suspended: bool
    suspended_at: str | None
    suspension_reason: str | None


class OperatorShopsOut(Answer):
    shops: list[OperatorShopOut]


class AuditOut(Answer):
    actions: list[OperatorActionOut]
