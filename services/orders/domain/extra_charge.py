"""A shop's proposal to charge more for its part (a heavy parcel, faster post).

The shop proposes instead of accepting; the buyer accepts or refuses within a window. An
accepted extra is held on the order's card and settled with the part; a refusal, or no
answer in time, calls the part off. One proposal at most is open per part.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.orders.domain.errors import IllegalTransition
from services.orders.domain.money import Money


class ExtraChargeStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    EXPIRED = "expired"
    # The part ended otherwise (the shop declined, the buyer cancelled) before an answer.
    WITHDRAWN = "withdrawn"


class ExtraChargeNotOpen(IllegalTransition):
    """The buyer answered a proposal that is no longer waiting for an answer."""


@dataclass
class ExtraCharge:
    id: str
    amount: Money
    reason: str
    proposed_by: str
    proposed_at: datetime
    answer_by: datetime
    status: ExtraChargeStatus = ExtraChargeStatus.OPEN
    answered_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status == ExtraChargeStatus.OPEN

    def is_overdue(self, *, now: datetime) -> bool:
        return self.is_open and self.answer_by <= now

    def accept(self, *, now: datetime) -> None:
        self._answer(ExtraChargeStatus.ACCEPTED, now=now)

    def refuse(self, *, now: datetime) -> None:
        self._answer(ExtraChargeStatus.REFUSED, now=now)

    def expire(self, *, now: datetime) -> None:
        if not self.is_overdue(now=now):
            raise ExtraChargeNotOpen("this extra charge can still be answered")
        self.status = ExtraChargeStatus.EXPIRED
        self.answered_at = now

    def withdraw(self, *, now: datetime) -> None:
        if self.is_open:
            self.status = ExtraChargeStatus.WITHDRAWN
            self.answered_at = now

    def _answer(self, status: ExtraChargeStatus, *, now: datetime) -> None:
        if not self.is_open:
            raise ExtraChargeNotOpen(
                f"this extra charge was already {self.status.value}: there is nothing to answer"
            )
        if self.is_overdue(now=now):
            raise ExtraChargeNotOpen(
                "the time to answer this extra charge has passed: the part is being cancelled "
                "and its payment released"
            )
        self.status = status
        self.answered_at = now

    def cancel_reason(self) -> str:
        """What the shop is told when the part is called off over this charge."""
        if self.status == ExtraChargeStatus.EXPIRED:
            return (
                f"The buyer did not answer the extra charge of {self.amount} "
                f"({self.reason}) in time."
            )
        return f"The buyer refused the extra charge of {self.amount} ({self.reason})."
