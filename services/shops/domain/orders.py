"""The shop order's lifecycle: a mixin the database model inherits, so every status change
goes through a method that refuses illegal moves."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.common.clock import as_utc
from services.shops.domain.checks import Checker, require_text
from services.shops.domain.errors import IllegalTransition

NOTE_MAX = 2000
REASON_MAX = 500
SHORT_MAX = 100
EXTRA_REASON_MAX = 200
# The "carrier" of an order handed over at the shop, as the buyer's side is told.
COLLECTED = "Collected in person"


def respond_by(received_at: datetime, *, hours: int) -> datetime:
    return received_at + timedelta(hours=hours)


def no_answer_reason(*, hours: int) -> str:
    return f"The shop did not answer within {hours} hours"


class ShopOrderStatus:
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SHIPPED = "shipped"
    # The buyer's side called the order off; its reserved stock went back on the shelf.
    CANCELLED = "cancelled"

    ALL = (PENDING, ACCEPTED, DECLINED, SHIPPED, CANCELLED)


class PaymentStatus:
    """The buyer's money for an accepted order, as the orders side reports it. Until it is
    captured (None: waiting), the shop must not let the goods go."""

    CAPTURED = "captured"
    FAILED = "failed"


class CancellationAnswer:
    """What the shop side answers to a buyer's request to cancel."""

    GRANTED = "granted"
    REFUSED = "refused"
    # Declined already: the shop's decline settles the part on the buyer's side.
    MOOT = "moot"


PAYMENT_NOT_CONFIRMED = (
    "the buyer's payment for this order is not confirmed yet: wait until the order says "
    "“Payment confirmed: ready to ship” (usually within a minute of accepting), then ship it"
)
PAYMENT_FAILED = (
    "the buyer's payment for this order failed: do not ship it. The order is cancelled and "
    "its stock is back on your shelf"
)


class PaymentNotConfirmed(IllegalTransition):
    """The goods would leave before the buyer's money is captured."""


class ExtraChargeStatus:
    """A shop's proposal to charge more, as the buyer answered it (or did not)."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    EXPIRED = "expired"
    # The shop declined the order, or the buyer cancelled it, while the proposal was open.
    WITHDRAWN = "withdrawn"


class ShopOrderLifecycle:
    """Status changes of a shop order. The class using it provides these attributes."""

    status: str
    decided_at: datetime | None
    decline_reason: str | None
    note: str | None
    signed_by: str | None
    carrier: str | None
    tracking_number: str | None
    shipped_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    stock_reserved: bool
    respond_by: datetime | None
    received_at: datetime
    subtotal_amount: int
    shipping_amount: int
    extra_charge_id: str | None
    extra_charge_amount: int | None
    extra_charge_reason: str | None
    # None until the shop proposes one; a default, so orders made without it read as none.
    extra_charge_status: str | None = None
    extra_charge_proposed_by: str | None
    extra_charge_proposed_at: datetime | None
    extra_charge_answered_at: datetime | None
    extra_charged_amount: int
    # PaymentStatus; None while the orders side has not confirmed the capture.
    payment_status: str | None = None
    payment_confirmed_at: datetime | None
    # The buyer collects the order in person at the shop: it is handed over, never shipped.
    collection: bool = False
    ready_to_collect_at: datetime | None = None

    def _require(self, action: str, *allowed: str) -> None:
        if self.status not in allowed:
            raise IllegalTransition(
                f"this order is {self.status}, so it cannot be {action} "
                f"(only {' or '.join(allowed)} orders can be)"
            )

    def is_overdue(self, *, now: datetime) -> bool:
        """Pending past its answer deadline: the shop's silence becomes a decline."""
        return (
            self.status == ShopOrderStatus.PENDING
            and self.respond_by is not None
            and as_utc(self.respond_by) <= now
        )

    @property
    def total_amount(self) -> int:
        """What the buyer pays the shop: items, shipping and the extras they accepted."""
        return self.subtotal_amount + self.shipping_amount + (self.extra_charged_amount or 0)

    @property
    def extra_charge_open(self) -> bool:
        return self.extra_charge_status == ExtraChargeStatus.PROPOSED

    def window_started_at(self) -> datetime:
        """When the shop's current answer window began: on arrival, or when the buyer
        agreed to an extra charge (the window starts afresh then)."""
        if self.extra_charge_status == ExtraChargeStatus.ACCEPTED and self.extra_charge_answered_at:
            return as_utc(self.extra_charge_answered_at)
        return as_utc(self.received_at)

    def propose_extra_charge(
        self,
        *,
        proposal_id: str,
        amount: int | None,
        reason: str | None,
        proposed_by: str,
        now: datetime,
    ) -> None:
        """Ask the buyer for more (a heavy parcel, faster post) instead of accepting yet."""
        self._require("given an extra charge", ShopOrderStatus.PENDING)
        if self.extra_charge_open:
            raise IllegalTransition(
                "an extra charge is already waiting for the buyer's answer; wait for it "
                "before proposing another"
            )
        check = Checker()
        cleaned = check.required_text(
            "reason", reason, limit=EXTRA_REASON_MAX, label="the reason for the extra charge"
        )
        # All extras together are bounded by the order's own total: asking for more than
        # the order is worth is a new order, not an extra charge.
        ceiling = self.subtotal_amount + self.shipping_amount - (self.extra_charged_amount or 0)
        if amount is None or amount <= 0:
            check.errors["amount"] = "the extra charge must be more than zero"
        elif amount > ceiling:
            check.errors["amount"] = (
                "the extra charge can be at most the order's own total (items and shipping), "
                "counting any extra charge the buyer already accepted"
            )
        check.done()
        self.extra_charge_id = proposal_id
        self.extra_charge_amount = amount
        self.extra_charge_reason = cleaned
        self.extra_charge_status = ExtraChargeStatus.PROPOSED
        self.extra_charge_proposed_by = proposed_by
        self.extra_charge_proposed_at = now
        self.extra_charge_answered_at = None
        # The buyer's answer is awaited now, not the shop's: the shop's window stops, and
        # starts afresh if the buyer agrees.
        self.respond_by = None

    def record_extra_charge_answer(
        self, *, proposal_id: str, answer: str, now: datetime, response_hours: int
    ) -> bool:
        """The buyer's answer; False when it is not about the open proposal (a duplicate)."""
        if proposal_id != self.extra_charge_id:
            return False
        open_now = self.extra_charge_open
        # A refusal may arrive just after the cancellation it caused: it still says why.
        cancelled_first = (
            self.extra_charge_status == ExtraChargeStatus.WITHDRAWN
            and self.status == ShopOrderStatus.CANCELLED
            and answer != ExtraChargeStatus.ACCEPTED
        )
        if not (open_now or cancelled_first):
            return False
        self.extra_charge_status = answer
        self.extra_charge_answered_at = now
        if answer == ExtraChargeStatus.ACCEPTED:
            self.extra_charged_amount = (self.extra_charged_amount or 0) + (
                self.extra_charge_amount or 0
            )
            if self.status == ShopOrderStatus.PENDING:
                self.respond_by = respond_by(now, hours=response_hours)
        return True

    def _withdraw_extra_charge(self) -> None:
        if self.extra_charge_open:
            self.extra_charge_status = ExtraChargeStatus.WITHDRAWN

    def accept(self, *, now: datetime) -> None:
        self._require("accepted", ShopOrderStatus.PENDING)
        if self.extra_charge_open:
            raise IllegalTransition(
                "this order waits for the buyer's answer to your extra charge: accept it "
                "once they agree, or decline it"
            )
        self.status = ShopOrderStatus.ACCEPTED
        self.decided_at = now

    def decline(self, *, reason: str | None, now: datetime) -> bool:
        """Decline a pending order; return True when its reserved stock must go back."""
        self._require("declined", ShopOrderStatus.PENDING)
        self.decline_reason = require_text(
            "reason", reason, limit=REASON_MAX, label="the reason for declining"
        )
        self.status = ShopOrderStatus.DECLINED
        self.decided_at = now
        self._withdraw_extra_charge()
        return self._give_back_stock()

    def ship(
        self,
        *,
        note: str | None,
        signed_by: str,
        carrier: str | None = None,
        tracking_number: str | None = None,
        now: datetime,
    ) -> None:
        self._require_paid()
        self._require("shipped", ShopOrderStatus.ACCEPTED)
        if self.collection:
            raise IllegalTransition(
                "the buyer collects this order in person: mark it ready to collect, then "
                "collected when you hand it over"
            )
        check = Checker()
        cleaned_note = check.required_text("note", note, limit=NOTE_MAX, label="the note")
        cleaned_carrier = check.optional_text("carrier", carrier, limit=SHORT_MAX, multiline=False)
        cleaned_tracking = check.optional_text(
            "tracking_number", tracking_number, limit=SHORT_MAX, multiline=False
        )
        check.done()
        self.note = cleaned_note
        self.signed_by = signed_by
        self.carrier = cleaned_carrier
        self.tracking_number = cleaned_tracking
        self.status = ShopOrderStatus.SHIPPED
        self.shipped_at = now

    def mark_ready_to_collect(self, *, now: datetime) -> bool:
        """The order waits at the shop for its buyer. False when it was said already."""
        self._require_collection()
        self._require_paid()
        self._require("made ready to collect", ShopOrderStatus.ACCEPTED)
        if self.ready_to_collect_at is not None:
            return False
        self.ready_to_collect_at = now
        return True

    def hand_over(self, *, note: str | None, signed_by: str, now: datetime) -> None:
        """The buyer collected the order: it leaves the shop as a shipped one does, with
        the shop's note (a default one when the shop writes none)."""
        self._require_collection()
        self._require_paid()
        self._require("collected", ShopOrderStatus.ACCEPTED)
        if self.ready_to_collect_at is None:
            raise IllegalTransition("mark the order ready to collect before it is collected")
        check = Checker()
        cleaned = check.optional_text("note", note, limit=NOTE_MAX)
        check.done()
        self.note = cleaned or "Collected in person at the shop. Thank you for coming by!"
        self.signed_by = signed_by
        self.carrier = COLLECTED
        self.tracking_number = None
        self.status = ShopOrderStatus.SHIPPED
        self.shipped_at = now

    def _require_collection(self) -> None:
        if not self.collection:
            raise IllegalTransition("the buyer did not choose to collect this order in person")

    def cancel(self, *, reason: str, now: datetime) -> bool:
        """Cancel an order not yet shipped; return True when its stock must go back."""
        self._require("cancelled", ShopOrderStatus.PENDING, ShopOrderStatus.ACCEPTED)
        self.status = ShopOrderStatus.CANCELLED
        self.cancelled_at = now
        self.cancel_reason = reason.strip()[:REASON_MAX] or None
        self._withdraw_extra_charge()
        return self._give_back_stock()

    @property
    def ready_to_ship(self) -> bool:
        return (
            self.status == ShopOrderStatus.ACCEPTED
            and self.payment_status == PaymentStatus.CAPTURED
        )

    def _require_paid(self) -> None:
        """Goods leave only for money the orders side has captured (it owns the money)."""
        if self.payment_status == PaymentStatus.FAILED:
            raise PaymentNotConfirmed(PAYMENT_FAILED)
        if self.status == ShopOrderStatus.ACCEPTED and self.payment_status is None:
            raise PaymentNotConfirmed(PAYMENT_NOT_CONFIRMED)

    def record_payment_captured(self, *, now: datetime) -> bool:
        """The orders side took the money: the goods may go. False when already known."""
        if self.payment_status == PaymentStatus.CAPTURED:
            return False
        if self.status != ShopOrderStatus.ACCEPTED or self.payment_status is not None:
            raise IllegalTransition(
                f"the payment was captured for an order that is {self.status}"
                + (f" with its payment {self.payment_status}" if self.payment_status else "")
            )
        self.payment_status = PaymentStatus.CAPTURED
        self.payment_confirmed_at = now
        return True

    def record_payment_failed(self, *, reason: str, now: datetime) -> bool:
        """The capture after acceptance failed: the order is cancelled and must not ship.
        Return True when its reserved stock must go back."""
        if self.payment_status == PaymentStatus.FAILED:
            return False
        if self.status != ShopOrderStatus.ACCEPTED or self.payment_status is not None:
            raise IllegalTransition(
                f"the payment failed for an order that is {self.status}"
                + (f" with its payment {self.payment_status}" if self.payment_status else "")
            )
        self.payment_status = PaymentStatus.FAILED
        self.payment_confirmed_at = now
        self.status = ShopOrderStatus.CANCELLED
        self.cancelled_at = now
        self.cancel_reason = reason.strip()[:REASON_MAX] or None
        self._withdraw_extra_charge()
        return self._give_back_stock()

    def answer_cancellation(self, *, reason: str, now: datetime) -> tuple[str, bool]:
        """The buyer asks to cancel. The shop side decides: granted while the shop has not
        accepted, refused once it has. Return the answer, and whether the reserved stock
        must go back."""
        if self.status == ShopOrderStatus.PENDING:
            return CancellationAnswer.GRANTED, self.cancel(reason=reason, now=now)
        if self.status == ShopOrderStatus.CANCELLED:
            return CancellationAnswer.GRANTED, False  # asked again: the same answer
        if self.status == ShopOrderStatus.DECLINED:
            return CancellationAnswer.MOOT, False
        return CancellationAnswer.REFUSED, False

    def _give_back_stock(self) -> bool:
        # Stock is given back at most once, whatever path the order takes after reserving.
        held = self.stock_reserved
        self.stock_reserved = False
        return held
