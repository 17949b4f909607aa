"""The money of one shop's part of an order: what was authorized, captured, voided, refunded.

The whole order is authorized once at checkout; each part then settles its own share: it is
captured when its shop accepts, voided when the shop declines (or the buyer cancels), and
refunded when it is called off after capture. The ledger refuses to move more money than
the part holds, so a declined part can only ever release its own amount.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.orders.domain.errors import DomainError
from services.orders.domain.money import Money


class LedgerError(DomainError):
    """More money would move than the part holds."""


@dataclass
class PartLedger:
    authorized: Money
    captured: Money
    voided: Money
    refunded: Money

    @classmethod
    def authorized_for(cls, amount: Money) -> PartLedger:
        zero = Money.zero(amount.currency)
        return cls(authorized=amount, captured=zero, voided=zero, refunded=zero)

    @property
    def held(self) -> Money:
        """Authorized and neither captured nor voided yet."""
        return Money(
            self.authorized.amount - self.captured.amount - self.voided.amount,
            self.authorized.currency,
        )

    @property
    def refundable(self) -> Money:
        return Money(self.captured.amount - self.refunded.amount, self.captured.currency)

    def record_authorization(self, amount: Money) -> None:
        """More was held on the card for this part (an extra charge the buyer accepted)."""
        if amount.currency != self.authorized.currency or amount.amount <= 0:
            raise LedgerError(f"cannot hold {amount} more for a part in {self.authorized.currency}")
        self.authorized = self.authorized + amount

    def record_capture(self, amount: Money) -> None:
        self._check(amount, self.held, "capture")
        self.captured = self.captured + amount

    def record_void(self, amount: Money) -> None:
        self._check(amount, self.held, "void")
        self.voided = self.voided + amount

    def record_refund(self, amount: Money) -> None:
        self._check(amount, self.refundable, "refund")
        self.refunded = self.refunded + amount

    @staticmethod
    def _check(amount: Money, available: Money, action: str) -> None:
        if amount.currency != available.currency or not 0 < amount.amount <= available.amount:
            raise LedgerError(f"cannot {action} {amount}: only {available} is available")

    def as_dict(self) -> dict[str, dict[str, object]]:
        return {
            "authorized": self.authorized.as_dict(),
            "captured": self.captured.as_dict(),
            "voided": self.voided.as_dict(),
            "refunded": self.refunded.as_dict(),
        }


def commission_of(amount: Money, *, bps: int) -> Money:
    """The platform's share in basis points (1000 = 10%), rounded half up to a minor unit."""
    return Money((amount.amount * bps + 5000) // 10000, amount.currency)
