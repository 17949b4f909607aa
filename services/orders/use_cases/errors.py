"""Errors of the use cases, beside the domain's own. Messages are written for the buyer."""

from __future__ import annotations

from services.orders.domain.cart import CartProblem
from services.orders.domain.errors import DomainError
from services.orders.domain.money import Money


class UnknownListing(DomainError):
    pass


class NotEnoughStock(DomainError):
    pass


class NotPurchasable(DomainError):
    """The shop is on vacation or not taking orders for this listing."""


class OrderNotFound(DomainError):
    pass


class CartChanged(DomainError):
    """Some cart items cannot be bought as the buyer saw them: checkout stopped."""

    def __init__(self, problems: list[CartProblem]) -> None:
        details = "; ".join(problem.message for problem in problems)
        super().__init__(
            f"your cart changed since you last saw it: {details}. Nothing was ordered; "
            "review your cart and check out again"
        )
        self.problems = problems


class CartEditedDuringCheckout(DomainError):
    pass


class CheckoutInterrupted(DomainError):
    """The checkout's hold on the card was released before its order was written."""


class TotalChanged(DomainError):
    """The total computed at checkout is not the one the buyer was shown: nothing is
    ordered. `fields` says, per shop, how its shipping changed; `total` is the new total."""

    def __init__(self, message: str, *, fields: dict[str, str], total: Money) -> None:
        super().__init__(message)
        self.fields = fields
        self.total = total
