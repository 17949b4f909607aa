"""The orders service's API in its OpenAPI document, `/openapi.json`: the answers' models.

The request models stay beside their routes (api.py and the other `*_api.py`), which read
them; these only describe what the views render (views.py and its neighbours).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from services.common.inputs import CountryCode
from services.common.openapi import ERRORS, service_spec
from services.common.operator_audit import OperatorActionOut

spec = service_spec(
    "Storefront orders",
    description="Carts, checkout, the buyer's orders, reviews, conversations and address "
    "book; each shop's statement.",
)

# A route that asks the shops service for listings answers 503 while it cannot be reached;
# one that moves money, 402 when the card is declined and 502 when the provider fails.
CALLS_SHOPS = (*ERRORS, 503)
MOVES_MONEY = (*ERRORS, 402, 502)
# Only another part of the storefront may call it: a person's token is refused.
SERVICES_ONLY = (*ERRORS, 403)
CHECKOUT = (*MOVES_MONEY, 503)
# One that gives money back answers 502 when the provider fails.
REFUNDS = (*ERRORS, 502)
# The operator's routes answer anyone else's token, or none, with 404 (never 401): to them
# the route does not exist.
OPERATOR_ONLY = (400, 404, 409, 422)


class Answer(BaseModel):
    # The answers hold more than these; what is named is promised.
    model_config = ConfigDict(extra="allow")


class Money(Answer):
    amount: int
    currency: str


class CartParams(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # Where the parcel goes: each shop's shipping is quoted for it.
    country: CountryCode | None = None


class CartOut(Answer):
    lines: list[dict]
    shops: list[dict]
    country: str | None
    total: Money | None


class MergedCartOut(CartOut):
    merged: int
    # The titles of lines that could not join (sold out, or the buyer's own shop's).
    left_out: list[str]


class PartOut(Answer):
    shop_order_id: str
    shop_id: str
    status: str
    subtotal: Money
    shipping: Money
    total: Money


class OrderOut(Answer):
    id: str
    placed_at: str
    total: Money
    parts: list[PartOut]


class OrdersOut(Answer):
    orders: list[OrderOut]


class StatementOut(Answer):
    shop_id: str
    totals: list[dict]
    weeks: list[dict]
    commission_bps: int


class OrdersSummaryOut(Answer):
    shop_id: str
    by_status: dict[str, int]
    total: int


class ReviewOut(Answer):
    id: str
    reviewer_name: str
    rating: int
    text: str
    posted_at: str
    answer: dict | None


class OwnReviewOut(ReviewOut):
    shop_order_id: str
    shop_id: str


class OrderReviewsOut(Answer):
    order_id: str
    reviews: list[OwnReviewOut]


class ReputationOut(Answer):
    shop_id: str
    average: float | None
    count: int


class ShopReviewsOut(Answer):
    shop_id: str
    reviews: list[ReviewOut]
    total: int
    page: int
    per_page: int
    reputation: ReputationOut


class BuyersAmongOut(Answer):
    # By shop: how many of the people named bought there, who, and their reviews of it.
    shops: dict[str, dict]


class ConversationOut(Answer):
    id: str
    topic: str
    shop_id: str
    unread: int
    last_message_at: str


class ThreadOut(ConversationOut):
    messages: list[dict]


class ConversationsOut(Answer):
    conversations: list[ConversationOut]
    total: int
    page: int
    per_page: int


class ThreadsOut(Answer):
    conversations: list[ThreadOut]


class UnreadOut(Answer):
    shopper: int
    # By shop among the caller's: its unread conversations.
    shops: dict[str, int]


class PartThreadOut(Answer):
    order_id: str
    shop_order_id: str
    conversation: ThreadOut | None


class PartThreadsOut(Answer):
    order_id: str
    parts: list[PartThreadOut]


class SavedAddressOut(Answer):
    id: str
    address: dict[str, str]
    lines: list[str]
    is_default: bool
    updated_at: str


class SavedAddressesOut(Answer):
    addresses: list[SavedAddressOut]


class RefundOut(Answer):
    id: str
    shop_order_id: str
    items: Money
    shipping: Money
    total: Money
    commission_returned: Money
    # shop or platform, and the name of who decided it.
    decided_by: str
    decided_by_name: str
    reason: str
    case_id: str | None
    at: str


class CaseEventOut(Answer):
    side: str
    author_name: str
    kind: str
    text: str
    at: str


class CaseOut(Answer):
    id: str
    order_id: str
    shop_order_id: str
    shop_id: str
    shop_name: str
    reason: str
    reason_label: str
    state: str
    opened_at: str
    answer_by: str
    return_address: str | None
    return_carrier: str | None
    return_tracking: str | None
    escalated_at: str | None
    decision: str | None
    decision_reason: str | None
    closed_at: str | None
    events: list[CaseEventOut]
    # What the side reading it may do now.
    can: dict[str, bool]


class CasesOut(Answer):
    cases: list[CaseOut]


class MoneySplitOut(Answer):
    captured: Money
    refunded: Money
    refundable: Money
    items_paid: Money
    shipping_paid: Money
    items_refundable: Money
    shipping_refundable: Money


class PartAftersaleOut(Answer):
    refunds: list[RefundOut]
    cases: list[CaseOut]
    money: MoneySplitOut
    can_report_problem: bool


class OrderAftersaleOut(Answer):
    order_id: str
    # By part id.
    parts: dict[str, PartAftersaleOut]


class ShopPartAftersaleOut(PartAftersaleOut):
    shop_order_id: str
    order_id: str


class MovementOut(Answer):
    kind: str
    # Signed from the shop's point of view.
    amount: Money
    order_id: str
    shop_order_id: str
    at: str


class MovementsOut(Answer):
    movements: list[MovementOut]


class DisputeOut(CaseOut):
    buyer_name: str
    part: PartOut
    money: MoneySplitOut
    refunds: list[RefundOut]
    messages: list[dict]


class DisputesOut(Answer):
    open: list[DisputeOut]
    decided: list[DisputeOut]


class ReportedReviewOut(ReviewOut):
    shop_id: str
    hidden: bool
    hidden_reason: str | None


class ReviewReportOut(Answer):
    id: str
    review: ReportedReviewOut
    reporter_side: str
    reason: str
    reported_at: str
    outcome: str | None
    outcome_reason: str | None


class ReviewReportsOut(Answer):
    open: list[ReviewReportOut]


class ReportedOut(Answer):
    reported: bool


class AuditOut(Answer):
    actions: list[OperatorActionOut]
