"""After the sale: a buyer's problem with a part (a case), and the refunds that settle it.

A case is opened by the buyer on a shipped or delivered part, within a window after
shipping. The shop answers it with a refund (full or partial) or by asking for the parcel
back first; the buyer may take it to the platform when the shop has not answered in time,
or is not satisfied with the answer. The platform's operator then decides: a refund from
the shop's proceeds, or the case closed in the shop's favour.

Pure rules: no database, no web framework. Every status change is a method that refuses
what the case's current state does not allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from services.orders.domain.errors import DomainError, IllegalTransition
from services.orders.domain.money import Money
from services.orders.domain.payments import commission_of


class CaseReason(StrEnum):
    NOT_ARRIVED = "not_arrived"
    DAMAGED = "damaged"
    NOT_AS_DESCRIBED = "not_as_described"
    OTHER = "other"


REASON_LABELS = {
    CaseReason.NOT_ARRIVED: "Not arrived",
    CaseReason.DAMAGED: "Damaged",
    CaseReason.NOT_AS_DESCRIBED: "Not as described",
    CaseReason.OTHER: "Other",
}


class CaseState(StrEnum):
    # Waiting for the shop's answer.
    OPEN = "open"
    # The shop wants the parcel back first and gave the address.
    RETURN_REQUESTED = "return_requested"
    # The buyer says the parcel is on its way back.
    RETURN_SENT = "return_sent"
    # The shop refunded; the buyer may still take a partial refund to the platform.
    REFUNDED = "refunded"
    # The platform decides.
    ESCALATED = "escalated"
    # Over: refunded in full, decided by the platform, or withdrawn by the buyer.
    CLOSED = "closed"


class CaseRefused(DomainError):
    """A case that cannot be opened or moved as asked; the message says why."""


class RefundRefused(DomainError):
    """A refund that would move more money than allowed, or none; the message says why."""


@dataclass
class Case:
    state: CaseState
    opened_at: datetime
    # When the shop's answer is due; after it, the buyer may escalate.
    answer_by: datetime
    shop_answered: bool = False

    @classmethod
    def open(
        cls,
        *,
        part_status: str,
        shipped_at: datetime | None,
        now: datetime,
        report_window: timedelta,
        answer_window: timedelta,
        already_open: bool,
    ) -> Case:
        if part_status not in ("shipped", "delivered") or shipped_at is None:
            raise CaseRefused(
                "a problem can be reported once the shop has shipped this part; before that, "
                "write to the shop or ask to cancel"
            )
        if already_open:
            raise CaseRefused("a problem with this part is already open: answer in its case")
        if now > shipped_at + report_window:
            raise CaseRefused(
                f"problems can be reported up to {report_window.days} days after shipping; "
                "this part was shipped earlier: write to the shop instead"
            )
        return cls(state=CaseState.OPEN, opened_at=now, answer_by=now + answer_window)

    def ask_return(self) -> None:
        self._require({CaseState.OPEN}, "ask for a return")
        self.state = CaseState.RETURN_REQUESTED
        self.shop_answered = True

    def mark_return_sent(self, *, now: datetime, answer_window: timedelta) -> None:
        self._require({CaseState.RETURN_REQUESTED}, "mark the return as sent")
        self.state = CaseState.RETURN_SENT
        # The shop has its window again, from the day the parcel left.
        self.answer_by = now + answer_window

    def refunded(self, *, fully: bool) -> None:
        """The shop refunded (on the case, or on its own while the case was open)."""
        self._require(
            {CaseState.OPEN, CaseState.RETURN_REQUESTED, CaseState.RETURN_SENT, CaseState.REFUNDED},
            "refund",
        )
        self.shop_answered = True
        self.state = CaseState.CLOSED if fully else CaseState.REFUNDED

    def can_escalate(self, *, now: datetime) -> bool:
        if self.state in (CaseState.ESCALATED, CaseState.CLOSED):
            return False
        return self.shop_answered or now >= self.answer_by

    def escalate(self, *, now: datetime) -> None:
        if self.state in (CaseState.ESCALATED, CaseState.CLOSED):
            raise IllegalTransition(f"this case is {self.state.value} and cannot be escalated")
        if not self.can_escalate(now=now):
            raise CaseRefused(
                "the shop still has time to answer: you can ask the platform to decide once "
                "the shop has answered or its time to answer has passed"
            )
        self.state = CaseState.ESCALATED

    def decide(self) -> None:
        self._require({CaseState.ESCALATED}, "decide")
        self.state = CaseState.CLOSED

    def withdraw(self) -> None:
        if self.state is CaseState.CLOSED:
            return
        self.state = CaseState.CLOSED

    def _require(self, states: set[CaseState], action: str) -> None:
        if self.state not in states:
            raise IllegalTransition(
                f"this case is {self.state.value.replace('_', ' ')}: you cannot {action} now"
            )


@dataclass(frozen=True)
class RefundAsked:
    """A refund split as Abebooks shows it: the items and the shipping, separately."""

    items: Money
    shipping: Money

    @property
    def total(self) -> Money:
        return self.items + self.shipping


def check_refund(
    asked: RefundAsked,
    *,
    items_paid: Money,
    shipping_paid: Money,
    items_refunded: Money,
    shipping_refunded: Money,
    refundable: Money,
) -> None:
    """Refuse a refund of nothing, of a negative amount, of more items or shipping than
    were paid, or of more than is left of what was captured."""
    if asked.items.amount < 0 or asked.shipping.amount < 0 or asked.total.amount <= 0:
        raise RefundRefused("enter an amount to refund for the items, the shipping or both")
    if asked.items.currency != items_paid.currency:
        raise RefundRefused(f"refunds of this part are in {items_paid.currency}")
    if items_refunded.amount + asked.items.amount > items_paid.amount:
        left = Money(items_paid.amount - items_refunded.amount, items_paid.currency)
        raise RefundRefused(f"at most {left} of the items is left to refund")
    if shipping_refunded.amount + asked.shipping.amount > shipping_paid.amount:
        left = Money(shipping_paid.amount - shipping_refunded.amount, shipping_paid.currency)
        raise RefundRefused(f"at most {left} of the shipping is left to refund")
    if asked.total.amount > refundable.amount:
        raise RefundRefused(
            f"cannot refund {asked.total}: only {refundable} of what was paid is left to refund"
        )


def commission_back(*, refunded_before: Money, refunded_after: Money, bps: int) -> Money:
    """The commission given back for a refund, at the rate frozen at sale.

    Counted on the running total of refunds, not on each refund alone, so rounding never
    gives back more than was taken: refunding everything in any number of steps gives
    back exactly the commission of the whole.
    """
    before = commission_of(refunded_before, bps=bps)
    after = commission_of(refunded_after, bps=bps)
    return Money(after.amount - before.amount, refunded_after.currency)
