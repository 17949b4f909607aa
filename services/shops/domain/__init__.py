"""The shop's rules, free of Flask, SQLAlchemy sessions and the broker.

Input rules turn what a seller typed into clean values or say, field by field, what to fix;
the shop order's lifecycle refuses illegal status changes.
"""

from services.shops.domain.checks import Checker, require_text
from services.shops.domain.errors import (
    Conflict,
    DomainError,
    IllegalTransition,
    InvalidInput,
    NotFound,
    OwnerOnly,
)
from services.shops.domain.isbn import BadIsbn, looks_like_isbn, to_isbn13
from services.shops.domain.listing import (
    CONDITIONS,
    ListingDraft,
    canonical_condition,
    change_listing,
    check_listing,
)
from services.shops.domain.orders import (
    CancellationAnswer,
    PaymentNotConfirmed,
    PaymentStatus,
    ShopOrderLifecycle,
    ShopOrderStatus,
    no_answer_reason,
    respond_by,
)
from services.shops.domain.shop import (
    DEFAULT_CURRENCY,
    RESPONSE_HOURS_DEFAULT,
    OrderHandling,
    ShopDraft,
    ShopSettings,
    change_settings,
    check_shop,
    slugify,
    unique_slug,
)

__all__ = [
    "CONDITIONS",
    "DEFAULT_CURRENCY",
    "RESPONSE_HOURS_DEFAULT",
    "BadIsbn",
    "CancellationAnswer",
    "Checker",
    "Conflict",
    "DomainError",
    "IllegalTransition",
    "InvalidInput",
    "ListingDraft",
    "NotFound",
    "OrderHandling",
    "OwnerOnly",
    "PaymentNotConfirmed",
    "PaymentStatus",
    "ShopDraft",
    "ShopOrderLifecycle",
    "ShopOrderStatus",
    "ShopSettings",
    "canonical_condition",
    "change_listing",
    "change_settings",
    "check_listing",
    "check_shop",
    "looks_like_isbn",
    "no_answer_reason",
    "require_text",
    "respond_by",
    "slugify",
    "to_isbn13",
    "unique_slug",
]
