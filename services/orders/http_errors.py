"""How the orders service's refusals read over HTTP, for every blueprint at once.

The domain raises DomainError subclasses that know nothing of HTTP; this is the one place
that gives each its status. A refusal that names fields (`fields`) sends them too, so a
form can show each reason beside its field.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify

from services.orders.addresses import AddressNotFound, TooManyAddresses
from services.orders.domain.conversation import ConversationNotFound, InvalidMessage, OwnShop
from services.orders.domain.errors import DomainError, IllegalTransition
from services.orders.domain.extra_charge import ExtraChargeNotOpen
from services.orders.domain.review import (
    AlreadyAnswered,
    AlreadyReviewed,
    InvalidReview,
    NotReviewableYet,
    ReviewNotFound,
)
from services.orders.listings import ShopsUnavailable
from services.orders.payments.port import PaymentDeclined, PaymentFailed
from services.orders.use_cases.errors import (
    CartChanged,
    CartEditedDuringCheckout,
    CheckoutInterrupted,
    OrderNotFound,
    TotalChanged,
)

# A DomainError not listed here (nor a subclass of one listed) is a 422.
STATUS: dict[type[DomainError], int] = {
    PaymentDeclined: 402,
    PaymentFailed: 502,
    CartChanged: 409,
    CartEditedDuringCheckout: 409,
    CheckoutInterrupted: 409,
    TotalChanged: 409,
    ExtraChargeNotOpen: 409,
    IllegalTransition: 409,
    NotReviewableYet: 409,
    AlreadyReviewed: 409,
    AlreadyAnswered: 409,
    OrderNotFound: 404,
    AddressNotFound: 404,
    TooManyAddresses: 409,
    ReviewNotFound: 404,
    ConversationNotFound: 404,
    InvalidMessage: 422,
    InvalidReview: 422,
    OwnShop: 422,
}


def status_of(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 422


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> tuple[Response, int]:
        body: dict[str, object] = {"error": error.message}
        if isinstance(error, CartChanged):
            # Per item, so the cart page can show each message beside its line.
            body["fields"] = {problem.listing_id: problem.message for problem in error.problems}
        elif isinstance(error, TotalChanged):
            # Per shop whose shipping changed, and the total to show the buyer instead.
            body["fields"] = error.fields
            body["total"] = error.total.as_dict()
        elif fields := getattr(error, "fields", None):
            body["fields"] = fields
        return jsonify(body), status_of(error)

    @app.errorhandler(ShopsUnavailable)
    def shops_unavailable(error: ShopsUnavailable) -> tuple[Response, int]:
        return jsonify({"error": error.message}), 503
