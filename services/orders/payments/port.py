"""The port through which orders moves money. Pure interface: no database, no HTTP.

One authorization covers the whole order at checkout; each shop's part is then captured,
voided or refunded on its own, for its own amount (partial captures and partial voids of
one authorization, as card networks allow).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from services.orders.domain.errors import DomainError
from services.orders.domain.money import Money

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class InvalidCard(DomainError):
    """The card number cannot be a card number: the buyer mistyped it."""


class PaymentDeclined(DomainError):
    """The card issuer refused to authorize the amount."""


class PaymentFailed(DomainError):
    """A capture, void or refund was refused; the message says why, for the buyer."""


@dataclass(frozen=True)
class Card:
    """A card number as the buyer typed it. Only `last4` is ever stored."""

    number: str

    @classmethod
    def parse(cls, text: str) -> Card:
        digits = re.sub(r"[\s-]", "", text)
        if not digits.isdigit() or not 12 <= len(digits) <= 19 or not _luhn_ok(digits):
            raise InvalidCard("this card number is not valid: check the digits and try again")
        return cls(digits)

    @property
    def last4(self) -> str:
        return self.number[-4:]

    def __repr__(self) -> str:
        # Never let the full number reach a log line or a traceback.
        return f"Card(****{self.last4})"


@dataclass(frozen=True)
class Authorization:
    id: str
    amount: Money
    card_last4: str


@dataclass(frozen=True)
class Capture:
    id: str
    authorization_id: str
    amount: Money


class PaymentProvider(Protocol):
    def authorize(self, amount: Money, card: Card, idempotency_key: str) -> Authorization:
        """Hold `amount` on the card, or raise PaymentDeclined. The same key returns the
        same authorization, so a retried checkout never holds money twice."""
        ...

    def increase(
        self, authorization: Authorization, amount: Money, idempotency_key: str
    ) -> Authorization:
        """Hold `amount` more on the same card (an incremental authorization), or raise
        PaymentDeclined. The same key returns the same result, so a retry holds it once."""
        ...

    def capture(self, authorization: Authorization, amount: Money) -> Capture:
        """Take `amount` of the authorization, or raise PaymentFailed."""
        ...

    def void(self, authorization: Authorization, amount: Money) -> None:
        """Release `amount` of the authorization without taking it."""
        ...

    def refund(
        self, capture: Capture, amount: Money, *, idempotency_key: str | None = None
    ) -> None:
        """Give back `amount` of a capture, or raise PaymentFailed when more than was
        captured would be given back. The same key refunds once, however often it is sent."""
        ...


# A provider bound to the unit of work it takes part in. The embedded test provider writes
# in that session; a provider reached over the network would ignore it.
Payments = Callable[["Session"], PaymentProvider]


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0
